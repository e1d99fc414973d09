// Running text: stated priority, the clinic asked for, the reason sentence, the patient's sex and name.
import { candidate, type Sink } from './candidate.ts';
import { evidence, ocrFactor, type Doc } from './doc.ts';
import { readPersonName } from './names.ts';
import { priorityPhrases } from './priority.ts';
import type { LineInfo } from './sections.ts';

const PAST = /\b(?:was|were|had|has been|seen|saw|known to|under|followed|previous(?:ly)?|discharged|attended|last (?:year|month|week)|ago|in (?:19|20)\d\d)\b[^.]{0,60}$/i;
const REFER = /\b(?:refer(?:ral|ring|red)?|send(?:ing)?|forward(?:ing)?)\b/gi;
/** "to (the|your) ..." after a referral verb, within its sentence: "referring Mrs K (DOB ...) to your rheumatology clinic". */
const TO = /\b(?:to|for)\s+(?:the\s+|your\s+|a\s+|an\s+|urgent\s+|routine\s+)*/gi;
const REQUEST = /\b(?:refer(?:ral|ring)?|see|seeing|review|assess|assessment|opinion|advice|evaluat(?:e|ion)|consult(?:ation)?|grateful|appreciate|kindly|please)\b/i;
const NOUN_AFTER = /^\s*(?:opinion|review|assessment|input|advice|evaluation|consultation|expertise)\b/i;
const CLINIC_NOUN = /^(?:\s+(?:clinic|service|department|team|unit|outpatients?))+/i;

const ev = (doc: Doc, page: number, a: number, b: number) => [evidence(doc, page, a, b)];
const q = (doc: Doc, page: number, a: number, b: number, p: number) => p * ocrFactor(doc, page, a, b);

/** Offsets of page text that is running prose: not a labelled line, not the letterhead or signature. */
function proseLines(doc: Doc, infos: LineInfo[], page: number) {
  return doc.lines.filter((l, i) => l.page === page && infos[i]!.zone !== 'header' && infos[i]!.zone !== 'signature' && !infos[i]!.segs.some((s) => s.labelStart <= 3));
}

export function readBody(doc: Doc, infos: LineInfo[], sink: Sink): void {
  doc.texts.forEach((text, page) => {
    for (const h of priorityPhrases(text)) sink(candidate('statedPriority', h.value, q(doc, page, h.start, h.end, h.strength), ev(doc, page, h.start, h.end)));
    const prose = proseLines(doc, infos, page);
    const inProse = (i: number) => prose.some((l) => i >= l.start && i <= l.end);
    REFER.lastIndex = 0;
    for (let m = REFER.exec(text); m; m = REFER.exec(text)) {
      if (!inProse(m.index) || PAST.test(text.slice(Math.max(0, m.index - 60), m.index + m[0].length))) continue;
      const verbEnd = m.index + m[0].length;
      const stop = text.slice(verbEnd, verbEnd + 120).search(/[.!?](?:\s|$)(?<!\b(?:dr|mr|mrs|ms)\.\s?)/i);
      const window = text.slice(verbEnd, stop < 0 ? verbEnd + 120 : verbEnd + stop);
      TO.lastIndex = 0;
      let from = -1;
      let c: ReturnType<typeof doc.clinics.best> = null;
      for (let t = TO.exec(window); t && !c; t = TO.exec(window)) {
        const at = verbEnd + t.index + t[0].length;
        const hit = doc.clinics.best(text.slice(at, at + 50));
        if (hit && hit.start <= 25) [c, from] = [hit, at];
      }
      if (!c) continue;
      const end = from + c.end + (CLINIC_NOUN.exec(text.slice(from + c.end))?.[0].length ?? 0);
      sink(candidate('referredTo', { raw: text.slice(from + c.start, end), specialty: c.specialty }, q(doc, page, from, end, 0.88), ev(doc, page, from + c.start, end)));
    }
    for (const l of prose) {
      for (const c of doc.clinics.all(l.text)) {
        const before = l.text.slice(Math.max(0, c.start - 25), c.start);
        const short = l.text.trim().split(/\s+/).length <= 6 && /referr|consult|request/i.test(l.text);
        const asked = /(?:\byour|\ban?|\bfor)\s+(?:urgent\s+|routine\s+|expert\s+|specialist\s+)?$/i.test(before) && NOUN_AFTER.test(l.text.slice(c.end));
        if (!short && !asked) continue;
        if (PAST.test(l.text.slice(0, c.start))) continue;
        const a = l.start + c.start;
        const b = l.start + c.end;
        sink(candidate('referredTo', { raw: l.text.slice(c.start, c.end), specialty: c.specialty }, q(doc, page, a, b, short ? 0.88 : 0.8), ev(doc, page, a, b)));
      }
    }
    readPatientPhrases(doc, page, prose, sink);
  });
  readReason(doc, infos, sink);
}

function readPatientPhrases(doc: Doc, page: number, prose: Doc['lines'], sink: Sink): void {
  let he = 0;
  let she = 0;
  for (const l of prose) {
    const sex = /\b\d{1,3}[\s-]*(?:years?|yrs?|y\.?o\.?|yo|months?|weeks?)[\s-]*(?:old)?\s+(man|woman|male|female|gentleman|lady|boy|girl|gent|infant boy|infant girl)\b/i.exec(l.text);
    if (sex) {
      const v = /^(?:man|male|gentleman|boy|gent|infant boy)$/i.test(sex[1]!) ? 'male' : 'female';
      sink(candidate('sex', v, q(doc, page, l.start + sex.index, l.start + sex.index + sex[0].length, 0.88), ev(doc, page, l.start + sex.index, l.start + sex.index + sex[0].length), 'text', { weak: true }));
    }
    he += (l.text.match(/\b(?:he|him|his|himself)\b/gi) ?? []).length;
    she += (l.text.match(/\b(?:she|her|hers|herself)\b/gi) ?? []).length;
    const named = /\b(?:refer(?:ring)?|see(?:ing)?|review(?:ing)?|assess(?:ing)?|regarding|about|concerning)\s+(?:this\s+\w+\s+|my\s+patient,?\s+)?(?=(?:mr|mrs|ms|miss|master|mx)\.?\s)/i.exec(l.text);
    if (named) {
      const from = named.index + named[0].length;
      const n = readPersonName(l.text.slice(from));
      if (n?.title) {
        const a = l.start + from + n.start;
        sink(candidate('patientName', n.value, q(doc, page, a, a + n.end - n.start, 0.8 * n.quality), n.spans.map(([x, y]) => evidence(doc, page, l.start + from + x, l.start + from + y))));
        const sexT = /^(mr|master)$/.test(n.title) ? 'male' : /^(mrs|ms|miss)$/.test(n.title) ? 'female' : null;
        if (sexT) sink(candidate('sex', sexT, q(doc, page, a, a + 3, 0.85), ev(doc, page, l.start + from, l.start + from + n.end), 'text', { weak: true }));
      }
    }
  }
  // Pronouns alone are a weak hint, and only when the text uses one set throughout.
  if ((he >= 3 && she === 0) || (she >= 3 && he === 0)) {
    // The count also takes his/her/him; the evidence needs a line that says he or she itself.
    const l = prose.find((x) => /\b(?:he|she)\b/i.test(x.text));
    const m = l ? /\b(?:he|she)\b/i.exec(l.text) : null;
    if (l && m) sink(candidate('sex', he ? 'male' : 'female', q(doc, page, l.start, l.end, 0.72), ev(doc, page, l.start + m.index, l.start + m.index + m[0].length), 'text', { weak: true }));
  }
}

const BOILERPLATE = /confidential|intended (?:only )?for|received (?:this|it) in error|privileged|disclos|notify the sender|destroy (?:it|this)|unauthori[sz]ed|pages? (?:including|to follow)|this (?:fax|facsimile|transmission)/i;
const ABBREV = /(?:\b(?:dr|mr|mrs|ms|prof|st|vs|approx|no|e\.g|i\.e|etc|wk|yrs?|[A-Z]))$/i;

/** Sentence spans of text[from, to): a full stop ends one unless it follows an initial or a title, or starts "...". */
export function splitSentences(text: string, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let start = from;
  const push = (e: number) => {
    const raw = text.slice(start, e);
    const a = start + (raw.length - raw.trimStart().length);
    const b = start + raw.trimEnd().length;
    if (b - a > 3) out.push([a, b]);
  };
  for (let i = from; i < to; i++) {
    const c = text[i]!;
    const blank = c === '\n' && /^\n[ \t]*\n/.test(text.slice(i, i + 3));
    if (!blank && !/[.!?]/.test(c)) continue;
    if (!blank) {
      if (text[i + 1] === '.' || text[i - 1] === '.' || !/\s|$/.test(text[i + 1] ?? '')) continue;
      if (c === '.' && ABBREV.test(text.slice(Math.max(from, i - 6), i))) continue;
    }
    push(i + 1);
    start = i + 1;
  }
  push(to);
  return out;
}

/** A letter's reason: the request sentence ("I would be grateful if you could see ... with ..."), else its first sentence. */
function readReason(doc: Doc, infos: LineInfo[], sink: Sink): void {
  const body = doc.lines.filter((l, i) => infos[i]!.zone === 'body' && !infos[i]!.segs.some((s) => s.labelStart <= 3) && !/^\s*dear\b/i.test(l.text));
  // Only the first stretch of prose: the reason comes before the history, and never from a later page.
  if (!body.length) return;
  const page = body[0]!.page;
  const lines = body.filter((l) => l.page === page);
  const text = doc.texts[page]!;
  const from = lines[0]!.start;
  const to = lines[lines.length - 1]!.end;
  const sentences = splitSentences(text, from, to);
  const words = (s: [number, number]) => text.slice(s[0], s[1]).trim().split(/\s+/).length;
  // A fax's confidentiality notice says "please notify the sender": boilerplate, not a reason.
  const boiler = (s: [number, number]) => BOILERPLATE.test(text.slice(s[0], s[1]));
  let k = sentences.findIndex((s) => REQUEST.test(text.slice(s[0], s[1])) && words(s) >= 5 && !boiler(s));
  let p = 0.8;
  if (k < 0) {
    k = sentences.findIndex((s) => words(s) >= 6 && !boiler(s));
    p = 0.55;
  }
  if (k < 0) return;
  let [a, b] = sentences[k]!;
  // "Thank you for seeing Mrs Doe." says nothing clinical: take the next sentence with it.
  if (b - a < 60 && sentences[k + 1] && sentences[k + 1]![1] - a <= 300) b = sentences[k + 1]![1];
  if (b - a > 300) {
    const cut = text.slice(a, a + 300).lastIndexOf(' ');
    b = a + (cut > 100 ? cut : 300);
  }
  // "... opinion regarding: ruptured appendix", "referring her for evaluation of X": the reason is what follows.
  const lead = /:\s+(?=\S+\s+\S)|\bfor\s+(?:an?\s+)?(?:evaluation|assessment|review|management|investigation|opinion|advice)\s+(?:of|on|regarding)\s+|\bregarding\s+(?=\S+\s+\S)/i.exec(text.slice(a, b));
  if (lead && lead.index < 160) {
    a += lead.index + lead[0].length;
    p = /^for/i.test(lead[0]) ? 0.93 : 0.9;
  }
  const value = text.slice(a, b).replace(/\s+/g, ' ').trim();
  if (value.length >= 10) sink(candidate('reason', value, q(doc, page, a, b, p), ev(doc, page, a, b)));
}
