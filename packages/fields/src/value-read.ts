// Typed values after a label: each reader validates what it reads and scores it.
import type { FieldSource } from '@triage/contracts';
import { candidate, type Sink } from './candidate.ts';
import { npiValid, nhsValid, ocrDigits, ocrIdDigits, ocrLetters, phoneQuality, ssnValid } from './checks.ts';
import { readDate, type DateKind } from './dates.ts';
import { evidence, ocrFactor, type Doc } from './doc.ts';
import { ORG, readPersonName } from './names.ts';
import { priorityFromValue } from './priority.ts';

/** A raw value on a page: [start, end) of page `page`'s text; `base` is what its label is worth. */
export type ValueCtx = { doc: Doc; page: number; start: number; end: number; base: number; source: FieldSource; hint?: string };

export const rawOf = (c: ValueCtx): string => c.doc.texts[c.page]!.slice(c.start, c.end);
const isOcr = (c: ValueCtx) => c.doc.pages[c.page]!.source === 'ocr';
const ev = (c: ValueCtx, a: number, b: number) => evidence(c.doc, c.page, c.start + a, c.start + b);
const conf = (c: ValueCtx, a: number, b: number, q: number) => c.base * q * ocrFactor(c.doc, c.page, c.start + a, c.start + b);

/** The part of a value before a column gap (the next cell of a form row). */
export function firstCell(s: string): number {
  const m = /\S(?:\t|\s{3,})\S/.exec(s);
  return m ? m.index + 1 : s.length;
}

const ORG_NEXT = new RegExp(`^\\s*${ORG.source}`, 'i');
const EMPTY = /^[\s_.\-–:?]*$|^(?:n\/?a|none|nil|unknown|not known|not applicable|tbc|tba|-+)\.?$/i;

export function readName(c: ValueCtx, field: 'patientName' | 'referrerName', sink: Sink, opts: { lastFirst?: boolean } = {}): boolean {
  const raw = isOcr(c) ? ocrLetters(rawOf(c)) : rawOf(c);
  const cut = raw.slice(0, firstCell(raw));
  const lastFirst = opts.lastFirst || /last.*first|surname/i.test(c.hint ?? '');
  const n = readPersonName(cut, { lastFirst, lowercase: true });
  if (!n) return field === 'referrerName' && readOrganization(c, cut, 0, sink);
  const after = cut.slice(n.end);
  // "From: Lakeside Internal Medicine" names a practice, not a doctor.
  if (field === 'referrerName' && ORG_NEXT.test(after)) return readOrganization(c, cut, 0, sink);
  const evs = n.spans.map(([a, b]) => ev(c, a, b));
  sink(candidate(field, n.value, conf(c, n.start, n.end, n.quality), evs, c.source));
  const org = /^\s*(?:[,(/]|\s[-–—]\s)\s*(?:(?:md|do|mbbs|np|pa-c|frcp|mrcgp)\.?,?\s*)*([^,;()]{3,80})/i.exec(after);
  if (field === 'referrerName' && org && ORG.test(org[1]!)) readOrganization(c, cut, n.end + org[0].length - org[1]!.length, sink);
  const sexAfter = /^\s*[(,|/]\s*(m|f|male|female)\s*(?:[),|/]|$)/i.exec(after);
  if (field === 'patientName' && sexAfter) {
    const a = n.end + sexAfter[0].indexOf(sexAfter[1]!);
    sink(candidate('sex', sexOf(sexAfter[1]!)!, conf(c, a, a + sexAfter[1]!.length, 0.94), [ev(c, a, a + sexAfter[1]!.length)], c.source));
  }
  if (field === 'patientName' && n.title) {
    const sex = /^(mr|master)$/.test(n.title) ? 'male' : /^(mrs|ms|miss)$/.test(n.title) ? 'female' : n.title === 'mx' ? 'other' : null;
    if (sex) sink(candidate('sex', sex, 0.85 * ocrFactor(c.doc, c.page, c.start, c.end), [ev(c, raw.search(/\S/), n.end)], c.source, { weak: true }));
  }
  return true;
}

/** An organisation's name at `from` in a cell: up to a full stop, a comma or a column gap. */
function readOrganization(c: ValueCtx, cut: string, from: number, sink: Sink): boolean {
  const m = /^[\s(]*([^,;.()\t]{3,100}?)\s*(?:[,;.()\t]|$)/.exec(cut.slice(from));
  if (!m || !ORG.test(m[1]!)) return false;
  const a = from + m[0].indexOf(m[1]!);
  sink(candidate('referrerOrganization', m[1]!, conf(c, a, a + m[1]!.length, 0.88), [ev(c, a, a + m[1]!.length)], c.source));
  return true;
}

export function readDateValue(c: ValueCtx, field: 'birthDate' | 'referralDate', kind: DateKind, sink: Sink): boolean {
  const raw = rawOf(c);
  const text = isOcr(c) ? ocrDigits(raw) : raw;
  const dayFirst = /d{1,2}\W*m{1,2}/i.test(c.hint ?? '') ? true : /m{1,2}\W*d{1,2}/i.test(c.hint ?? '') ? false : c.doc.dayFirst;
  const d = readDate(text, { kind, today: c.doc.today, dayFirst });
  if (!d || d.start > 12) return false;
  sink(candidate(field, d.iso, conf(c, d.start, d.end, d.ambiguous ? 0.97 : 1), [ev(c, d.start, d.end)], c.source, { alts: d.alts }));
  return true;
}

const PHONE = /(?:\+\s?\d{1,3}[\s.-]?)?(?:\(\s?\d{1,5}\s?\)[\s.-]?)?\d[\d\s.-]{4,16}\d(?:\s*(?:ext\.?|x|extension)\s*\d{1,6})?/i;

export function readPhone(c: ValueCtx, field: 'patientPhone' | 'referrerPhone' | 'referrerFax', sink: Sink): boolean {
  const raw = rawOf(c);
  const text = isOcr(c) ? ocrDigits(raw) : raw;
  const m = PHONE.exec(text.slice(0, 60));
  if (!m || m.index > 8) return false;
  const value = m[0].trim();
  const q = phoneQuality(value);
  // Too few or too many digits: not a number anyone can call.
  sink(candidate(field, value, q ? conf(c, m.index, m.index + m[0].length, q) : 0.15, [ev(c, m.index, m.index + m[0].length)], c.source));
  return true;
}

export type IdKind = 'mrn' | 'nhs' | 'medicare' | 'medicaid' | 'ssn' | 'other';

/** The identifier at the start of a value: one token with digits, or digit groups ("943 476 5919"). */
function idSpan(raw: string): [number, number] | null {
  const m = /^[\s#:.-]*((?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9/-]*[A-Za-z0-9](?:[ -]\d{2,4}){0,3})(?![A-Za-z0-9])/.exec(raw);
  if (!m) return null;
  const start = m[0].length - m[1]!.length;
  return [start, m[0].length];
}

export function readId(c: ValueCtx, kind: IdKind, sink: Sink, alsoMrn = kind === 'mrn', memberId = false): boolean {
  const raw = rawOf(c);
  // NHS numbers are all digits; other identifiers mix letters in on purpose.
  const text = isOcr(c) ? (kind === 'nhs' ? ocrDigits(raw) : ocrIdDigits(raw)) : raw;
  const span = idSpan(text);
  if (!span) return false;
  const value = text.slice(span[0], span[1]);
  const digits = value.replace(/\D/g, '');
  if (digits.length < (memberId ? 1 : 3) || value.length > 24) return false;
  let q = 1;
  if (kind === 'nhs') q = nhsValid(value) ? 1 : 0.3;
  if (kind === 'ssn') q = ssnValid(value) ? 1 : 0.4;
  const e = [ev(c, span[0], span[1])];
  const p = conf(c, span[0], span[1], q);
  if (memberId) sink(candidate('insuranceMemberId', value, p, e, c.source));
  else sink(candidate('identifiers', [{ kind, value }], p, e, c.source));
  if (alsoMrn) sink(candidate('mrn', value, p, e, c.source));
  return true;
}

export function readNpi(c: ValueCtx, sink: Sink): boolean {
  const raw = rawOf(c);
  const text = isOcr(c) ? ocrDigits(raw) : raw;
  const m = /^[\s#:.-]*(\d[\d -]{8,14}\d)(?!\d)/.exec(text);
  if (!m) return false;
  const digits = m[1]!.replace(/\D/g, '');
  if (digits.length !== 10) return false;
  const a = m[0].length - m[1]!.length;
  // A failed check digit means a misread or mistyped number: keep it, but barely believe it.
  const p = npiValid(digits) ? conf(c, a, m[0].length, 1) : Math.min(0.25, conf(c, a, m[0].length, 0.25));
  sink(candidate('referrerNpi', digits, p, [ev(c, a, m[0].length)], c.source));
  return true;
}

export function sexOf(s: string): 'female' | 'male' | 'other' | 'unknown' | null {
  const t = s.trim().toLowerCase().replace(/[.:,;]+$/, '');
  if (/^(?:m|male|man|boy|masc(?:uline)?)\b/.test(t) && !/\bf(?:emale)?\b/.test(t)) return 'male';
  if (/^(?:f|female|woman|girl|fem(?:inine)?)\b/.test(t) && !/\bm(?:ale)?\b/.test(t)) return 'female';
  if (/^(?:o|other|x|non[\s-]?binary|intersex|trans\w*|gender\s*diverse)\b/.test(t)) return 'other';
  if (/^(?:u|unk|unknown|not\s+(?:known|stated|specified|recorded)|undisclosed|prefer\s+not)/.test(t)) return 'unknown';
  return null;
}

export function readSex(c: ValueCtx, sink: Sink): boolean {
  const raw = rawOf(c);
  const cut = raw.slice(0, Math.min(firstCell(raw), 30));
  // "Sex:  M   F" is the blank form's list of options, not an answer.
  if (/\b(?:m|male)\b[^\n]*\b(?:f|female)\b|\b(?:f|female)\b[^\n]*\b(?:m|male)\b/i.test(raw.split('\n')[0]!)) return false;
  const sex = sexOf(cut);
  if (!sex) return false;
  const a = cut.search(/\S/);
  const b = a + (/^\S+/.exec(cut.slice(a))?.[0].replace(/[.:,;]+$/, '').length ?? 1);
  sink(candidate('sex', sex, conf(c, a, b, 1), [ev(c, a, b)], c.source));
  return true;
}

/** Free text (payer, organisation, address, reason): whitespace collapsed, cut at `max` on a word boundary. */
export function readText(c: ValueCtx, field: 'insurancePayer' | 'referrerOrganization' | 'patientAddress' | 'reason', sink: Sink, max: number, q = 1): boolean {
  const raw = isOcr(c) && field !== 'patientAddress' ? ocrLetters(rawOf(c)) : rawOf(c);
  const oneCell = field !== 'reason' && field !== 'patientAddress';
  const cut = oneCell ? raw.slice(0, firstCell(raw)) : raw;
  const a = cut.search(/[^\s_:.\-–]/);
  if (a < 0) return false;
  let b = cut.length;
  // A reason is a sentence and keeps its full stop; a payer or a practice does not need one.
  const trailing = field === 'reason' ? /[\s_,;]/ : /[\s_,;.]/;
  while (b > a && trailing.test(cut[b - 1]!)) b--;
  const collapse = (x: string) => x.replace(/\s*\n\s*/g, field === 'patientAddress' ? ', ' : ' ').replace(/[ \t]+/g, ' ');
  if (collapse(cut.slice(a, b)).length > max) {
    // Long values end at the last sentence that fits, else at the last word that does.
    let sentenceEnd = -1;
    let wordEnd = -1;
    for (let i = a + 1; i < b; i++) {
      if (!/\s/.test(cut[i]!)) continue;
      if (collapse(cut.slice(a, i)).length > max) break;
      wordEnd = i;
      if (/[.!?]/.test(cut[i - 1]!)) sentenceEnd = i;
    }
    b = sentenceEnd > a && collapse(cut.slice(a, sentenceEnd)).length > max * 0.4 ? sentenceEnd : wordEnd > a ? wordEnd : a + max;
    while (b > a && /[\s_,;]/.test(cut[b - 1]!)) b--;
  }
  const value = collapse(cut.slice(a, b));
  if (EMPTY.test(value) || !/[A-Za-z]/.test(value)) return false;
  sink(candidate(field, value, conf(c, a, b, q), [ev(c, a, b)], c.source));
  return true;
}

export function readPriority(c: ValueCtx, sink: Sink): boolean {
  const raw = rawOf(c);
  const cut = raw.slice(0, firstCell(raw));
  const hit = priorityFromValue(cut);
  if (!hit || hit.start > 20) return false;
  sink(candidate('statedPriority', hit.value, conf(c, hit.start, hit.end, 1), [ev(c, hit.start, hit.end)], c.source));
  return true;
}

/** A clinic as written, and its specialty (null when the table has none for it). */
export function readReferredTo(c: ValueCtx, sink: Sink, requireMapping = false, clinicOnly = false): boolean {
  const raw = isOcr(c) ? ocrLetters(rawOf(c)) : rawOf(c);
  const line = raw.split('\n')[0]!;
  let b = Math.min(firstCell(line), 200);
  const stop = line.slice(0, b).search(/(?<!\b(?:dr|mr|mrs|ms|st|prof))\.\s|\s[-–—]\s(?=please|for|re\b)|;/i);
  if (stop > 0) b = stop;
  let a = line.search(/[^\s_:.\-–]/);
  if (a < 0 || a >= b) return false;
  while (b > a && /[\s_,;.]/.test(line[b - 1]!)) b--;
  const text = line.slice(a, b);
  if (EMPTY.test(text)) return false;
  const m = c.doc.clinics.best(text);
  if (!m && requireMapping) return false;
  // "Follow-up: gastroenterology outpatient appointment requested" names the clinic inside a sentence.
  if (m && clinicOnly) [a, b] = [a + m.start, a + m.end];
  const value = { raw: line.slice(a, b), specialty: m?.specialty ?? null };
  sink(candidate('referredTo', value, conf(c, a, b, m ? 1 : 0.9), [ev(c, a, b)], c.source));
  return true;
}
