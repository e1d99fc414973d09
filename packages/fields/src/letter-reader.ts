// The parts of a letter a scheduler reads first: letterhead, date line, salutation and signature block.
import { candidate, type Sink } from './candidate.ts';
import { isDateOnly } from './dates.ts';
import { evidence, ocrFactor, type Doc, type Line } from './doc.ts';
import { isCredential, ORG, readPersonName } from './names.ts';
import { closingOf, SALUTATION, type LineInfo } from './sections.ts';

// Document titles and fax banners head a page without naming who sent it.
const NOT_ORG = /\b(?:referral|form|fax|facsimile|cover|request|consult|consultation|letter|confidential|urgent|routine|page|transmission|private|date|to|from|attn|re|discharge|summary|report|notification|advice|e-?referral|outpatient|inpatient|clinic letter)\b/i;
const JOB = /^(?:consultant|general practitioner|gp|family physician|physician|registrar|resident|fellow|nurse|practitioner|internist|specialist|director|partner|principal|locum|attending|associate|senior|clinical|medical director|on behalf of|pp|p\.p\.|dictated|electronically|signed|md|do|mbbs)\b/i;
const ADDRESS = /^\d|\b(?:street|st|road|rd|avenue|ave|lane|ln|drive|suite|floor|blvd|way|close|court|house|building)\b\.?/i;
const PEOPLE = /\s+(?:colleagues?|team|doctors?|consultants?|staff|specialists?|registrars?|all|department\s+colleagues)$/i;
const PERSON = /^(?:dr|doctor|mr|mrs|ms|miss|mx|prof|professor|sir|madam|colleague|colleagues|all|friend|doctors|sirs|to whom|team|consultant|partner|partners)\b/i;

const ev = (doc: Doc, l: Line, a: number, b: number) => evidence(doc, l.page, l.start + a, l.start + b);
const f = (doc: Doc, l: Line, a: number, b: number) => ocrFactor(doc, l.page, l.start + a, l.start + b);

/** Letterhead organisation and date; a clinic named in the address block is where the letter goes. */
export function readHeader(doc: Doc, infos: LineInfo[], sink: Sink): void {
  const header = doc.lines.filter((_, i) => infos[i]!.zone === 'header');
  const top = header.length ? header : doc.lines.slice(0, 6);
  let orgSeen = false;
  // The address block ("Dr P. Sandoval / Department of Cardiology / St Agnes Hospital") is the recipient's:
  // its hospital is not the sender's practice.
  const recipient = new Set<number>();
  let block: Line[] = [];
  const close = () => {
    const first = block[0];
    if (first && (readPersonName(first.text)?.title || block.some((x) => doc.clinics.best(x.text) && !ORG.test(x.text)) || /^\s*(?:to|attn|fao)\b/i.test(first.text))) for (const x of block) recipient.add(x.no);
    block = [];
  };
  for (const l of top) {
    if (l.blankBefore) close();
    block.push(l);
  }
  close();
  top.forEach((l, k) => {
    const info = infos[l.no]!;
    if (l.text.length > 400) return;
    const d = isDateOnly(l.text, { kind: 'event', today: doc.today, dayFirst: doc.dayFirst });
    if (d) return sink(candidate('referralDate', d.iso, (header.length ? 0.9 : 0.75) * (d.ambiguous ? 0.96 : 1) * f(doc, l, d.start, d.end), [ev(doc, l, d.start, d.end)], 'text', { alts: d.alts }));
    if (info.segs.length || l.text.length > 200 || /\d{3}.*\d{3}|@|www\.|https?:/i.test(l.text)) return;
    const a = l.text.search(/\S/);
    const text = l.text.trim().replace(/[,.]$/, '');
    const b = a + text.length;
    const words = text.split(/\s+/);
    const found = doc.clinics.best(text);
    const clinic = found && !/^surgery$/i.test(text.slice(found.start, found.end).trim()) ? found : null;
    // A clinic in the address block is where the letter goes, unless it is the letterhead's own name.
    const target = info.section === 'target' || (clinic && !(k === 0 && ORG.test(text)) && !/associates|group|partners|practice/i.test(text));
    if (target && clinic && header.length) return sink(candidate('referredTo', { raw: text.slice(0, 200), specialty: clinic.specialty }, 0.8 * f(doc, l, a, b), [ev(doc, l, a, b)]));
    if (orgSeen || recipient.has(l.no) || !header.length || k > 3 || words.length > 9 || /\d/.test(text) || readPersonName(text)?.title || NOT_ORG.test(text)) return;
    const orgish = ORG.test(text);
    const titled = words.every((w) => /^[A-Z&'(]|^(?:of|and|the|at|for|de|la)$/.test(w));
    if (orgish || (k === 0 && titled && words.length >= 2)) {
      orgSeen = true;
      sink(candidate('referrerOrganization', text, (orgish ? 0.92 : 0.6) * f(doc, l, a, b), [ev(doc, l, a, b)]));
    }
  });
}

/** "Dear Cardiology colleagues" → Cardiology; "Dear Dr Smith" names a person, not a clinic. */
export function readSalutation(doc: Doc, sink: Sink): void {
  const l = doc.lines.find((x) => SALUTATION.test(x.text));
  if (!l) return;
  const a = SALUTATION.exec(l.text)![0].length;
  let rest = l.text.slice(a).replace(/[\s,:;.!-]+$/, '');
  if (PERSON.test(rest)) {
    const m = doc.clinics.best(rest);
    if (m && /\(/.test(rest)) sink(candidate('referredTo', { raw: rest.slice(m.start, m.end), specialty: m.specialty }, 0.7, [ev(doc, l, a + m.start, a + m.end)]));
    return;
  }
  const full = doc.clinics.best(rest);
  rest = rest.replace(PEOPLE, '').replace(/^the\s+/i, '');
  const off = a + l.text.slice(a).indexOf(rest);
  const m = doc.clinics.best(rest) ?? full;
  if (!rest || (!m && !/clinic|department|service|unit|centre|center|team|colleague/i.test(l.text))) return;
  sink(candidate('referredTo', { raw: rest.slice(0, 200), specialty: m?.specialty ?? null }, (m ? 0.93 : 0.6) * f(doc, l, off, off + rest.length), [ev(doc, l, off, off + rest.length)]));
}

type Part = { text: string; start: number };

function parts(text: string, from: number, to: number): Part[] {
  const out: Part[] = [];
  const re = /[^,|\t]+/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    const raw = m[0].slice(0, Math.max(0, to - m.index));
    for (const sub of raw.split(/\s{3,}/)) {
      const start = m.index + raw.indexOf(sub) + (sub.length - sub.trimStart().length);
      if (sub.trim()) out.push({ text: sub.trim(), start });
    }
  }
  return out;
}

/** The signature: the first name after the closing (or a trailing "Dr ..." line), and the practice with it. */
export function readSignature(doc: Doc, infos: LineInfo[], sink: Sink): void {
  const lines = doc.lines.filter((_, i) => infos[i]!.zone === 'signature').slice(0, 8);
  const closed = lines.length > 0 && closingOf(lines[0]!.text) !== null;
  let named = -1;
  let orgDone = false;
  lines.forEach((l, k) => {
    if (/^\s*(?:cc|copy|enc|encl)\b/i.test(l.text)) return;
    const info = infos[l.no]!;
    const closing = k === 0 ? closingOf(l.text) : null;
    const from = closing ? closing.length : 0;
    const to = info.segs.filter((s) => s.labelStart >= from).reduce((m, s) => Math.min(m, s.labelStart), l.text.length);
    const ps = parts(l.text, from, to);
    ps.forEach((p, j) => {
      const text = p.text.replace(/^(?:on behalf of|p\.?p\.?|signed|dictated by)\s+/i, '');
      const off = p.start + p.text.length - text.length;
      if (named < 0) {
        const n = readPersonName(text);
        if (!n || JOB.test(text)) return;
        const after = text.slice(n.end).trim();
        const credentialed = isCredential(after.split(/\s+/)[0] ?? '') || isCredential(ps[j + 1]?.text ?? '');
        const doctor = n.title === 'dr' || n.title === 'doctor' || n.title === 'prof' || n.title === 'professor';
        if (!doctor && !credentialed && !(closed && n.quality >= 1 && !ORG.test(text))) return;
        const q = (doctor || credentialed ? (closed ? 0.93 : 0.88) : 0.82) * Math.min(1, n.quality + 0.1);
        named = k;
        return sink(candidate('referrerName', n.value, q * f(doc, l, off + n.start, off + n.end), n.spans.map(([a, b]) => ev(doc, l, off + a, off + b))));
      }
      if (orgDone || k - named > 2 || JOB.test(text) || isCredential(text) || /\d{3}|@/.test(text) || ADDRESS.test(text)) return;
      if (ORG.test(text) || (k === named + 1 && j === 0 && /^[A-Z]/.test(text) && text.split(/\s+/).length <= 8)) {
        const q = ORG.test(text) ? 0.92 : 0.62;
        sink(candidate('referrerOrganization', text, q * f(doc, l, off, off + text.length), [ev(doc, l, off, off + text.length)]));
        orgDone = true;
      }
    });
  });
}
