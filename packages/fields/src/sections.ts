import type { Doc } from './doc.ts';
import type { Section, Slot } from './labels.ts';
import { scanLine, type Segment } from './label-scan.ts';

/** Where a line sits in a letter: the letterhead, the body, the signature; forms are 'none'. */
export type Zone = 'header' | 'body' | 'signature' | 'none';
export type LineInfo = { segs: Segment[]; zone: Zone; section: Section; heading: boolean };

const CLOSING_RE = /^(?:yours\s+(?:sincerely|faithfully|truly)|sincerely(?:\s+yours)?|(?:with\s+)?(?:kind|best|warm|warmest|many)?\s*(?:regards|wishes)|many\s+thanks|thanks(?:\s+again)?|thank\s+you|respectfully(?:\s+yours)?|cordially)\b[\s,.!-]*/i;
/** The closing phrase at the start of a line ("Yours sincerely,"), leading space included; null when none. */
export function closingOf(text: string): string | null {
  const lead = /^\s*/.exec(text)![0];
  const m = CLOSING_RE.exec(text.slice(lead.length));
  return m ? lead + m[0] : null;
}
export const SALUTATION = /^\s*(?:dear\s+|to whom it may concern\b)/i;
export const SIGNATURE = /^\s*(?:dr\.?|doctor|prof\.?|professor)\s+[A-Z]|^\s*[A-Z][\w.' -]{1,40},\s*(?:md|do|mbbs|mbchb|np|fnp|pa-c|frcp|mrcgp|dpm)\b/i;

const LETTERHEAD = new Set<Slot>(['phone', 'fax', 'referrerPhone', 'referrerFax', 'address', 'organization', 'npi', 'date', 'referralDate', 'cityStateZip', 'ignore']);

const HEADINGS: [Section, RegExp][] = [
  ['other', /^(?:emergency contact|next of kin|guarantor|parent|guardian|carer|caregiver|responsible party|subscriber|policy ?holder)\b/],
  ['patient', /^(?:patient|pt|client|member|demographic)s?(?:'s)?(?: (?:information|info|details|demographics|data|particulars|identification|identifiers))?$|^(?:about the patient|patient details|personal details)$/],
  ['referrer', /^(?:referring|referrer|referral source|referred by|requesting|ordering|sender|from|gp details|practice details|provider (?:information|info|details)|physician (?:information|info|details))\b/],
  ['insurance', /^(?:insurance|coverage|payer|payor|billing|health plan|primary insurance|secondary insurance)\b/],
  ['target', /^(?:referred to|refer to|referral to|referral destination|consultant|specialist|receiving|specialty|speciality|service requested|to)\b/],
  ['clinical', /^(?:clinical|reason for referral|history|medical history|medications?|examination|investigations?|diagnos[ie]s|assessment|plan|summary|presenting|symptoms|findings)\b/],
];

function headingOf(text: string, segs: Segment[]): Section | null {
  if (segs.some((s) => s.valueEnd > s.valueStart)) return null;
  const t = text
    .toLowerCase()
    .replace(/^\s*(?:section\s+\w{1,3}|part\s+\w{1,3}|\d{1,2}|[a-h])[.):\-]\s*/, '')
    .replace(/[^a-z' ]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
  if (!t || t.split(' ').length > 6) return null;
  for (const [section, re] of HEADINGS) if (re.test(t)) return section;
  return null;
}

/** Labels of every line, the letter's zones, and the form section each line belongs to. */
export function layoutLines(doc: Doc): LineInfo[] {
  const infos: LineInfo[] = doc.lines.map((l) => ({ segs: scanLine(l.text, l.ocr), zone: 'none', section: 'none', heading: false }));
  const n = doc.lines.length;
  const salutation = doc.lines.findIndex((l) => SALUTATION.test(l.text));
  const reLine = infos.findIndex((i) => i.segs[0]?.entry.slot === 're' && i.segs[0].labelStart <= 2);
  const opening = [salutation, reLine].filter((i) => i >= 0).reduce((a, b) => Math.min(a, b), n);
  let closing = -1;
  for (let i = Math.max(opening < n ? opening : 0, Math.floor(n * 0.4)); i < n && closing < 0; i++) {
    const text = doc.lines[i]!.text;
    const m = closingOf(text);
    // "Thank you for seeing her" is body text: thanks close a letter only on their own line.
    if (m && (!text.slice(m.length).trim() || /^\s*(?:yours|sincerely|kind|best|warm|regards|respectfully|cordially)/i.test(m))) closing = i;
  }
  const letter = salutation >= 0 || closing >= 0;
  // No closing line: a letter still ends in its signature ("Dr A. Patel, Riverside Family Practice, NPI ...").
  let signature = closing;
  if (signature < 0 && letter) {
    for (let i = Math.max(opening + 1, n - 3); i < n && signature < 0; i++) if (SIGNATURE.test(doc.lines[i]!.text)) signature = i;
  }
  // A form's letterhead: the lines above its first section or patient label (practice name, phone, fax).
  const formTop = letter ? 0 : Math.min(6, infos.findIndex((x) => x.heading || headingOf(doc.lines[infos.indexOf(x)]!.text, x.segs) !== null || x.segs.some((s) => !LETTERHEAD.has(s.entry.slot))));
  let section: Section = 'none';
  let reActive = false;
  for (let i = 0; i < n; i++) {
    const line = doc.lines[i]!;
    const info = infos[i]!;
    if (!letter && i < formTop) info.zone = 'header';
    if (letter) info.zone = i < opening && opening < n ? 'header' : signature >= 0 && i >= signature ? 'signature' : 'body';
    // Patient details follow a "Re:" line as labelled lines; the first line of prose ends them.
    if (line.blankBefore || !info.segs.some((s) => s.labelStart <= 3)) reActive = false;
    const h = headingOf(line.text, info.segs);
    if (h) {
      section = h;
      info.heading = true;
    } else if (info.segs[0]?.entry.slot === 're' && info.segs[0].labelStart <= 2) reActive = true;
    else if (info.zone === 'header' && /^\s*(?:to|attn|attention|fao|for the attention of)\b/i.test(line.text)) section = 'target';
    if (info.zone === 'signature') info.section = 'referrer';
    else if (reActive) info.section = 'patient';
    else if (info.zone === 'header') info.section = section === 'target' ? 'target' : 'referrer';
    else info.section = section;
  }
  return infos;
}
