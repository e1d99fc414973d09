import type { Doc } from './doc.ts';
import type { Section, Slot } from './labels.ts';
import { scanLine, type Segment } from './label-scan.ts';
import { ORG } from './names.ts';

/** Where a line sits in a letter: the letterhead, the body, the signature; forms are 'none'. */
export type Zone = 'header' | 'body' | 'signature' | 'none';
export type LineInfo = { segs: Segment[]; zone: Zone; section: Section; heading: boolean };

const CLOSING_RE = /^(?:yours\s+(?:sincerely|faithfully|truly)|sincerely(?:\s+yours)?|(?:with\s+)?(?:kind|best|warm|warmest|many)?\s*(?:regards|wishes)|(?:with\s+)?(?:many\s+)?thanks(?:\s+(?:again|and\s+(?:kind\s+|best\s+)?regards))?|thank\s+you|respectfully(?:\s+yours)?|cordially)\b[\s,.!-]*/i;
/** The closing phrase at the start of a line ("Yours sincerely,"), leading space included; null when none. */
export function closingOf(text: string): string | null {
  const lead = /^\s*/.exec(text)![0];
  const m = CLOSING_RE.exec(text.slice(lead.length));
  return m ? lead + m[0] : null;
}
export const SALUTATION = /^\s*(?:dear\s+|to whom it may concern\b)/i;
export const SIGNATURE = /^\s*(?:dr\.?|doctor|prof\.?|professor)\s+[A-Z]|^\s*[A-Z][\w.' -]{1,40},\s*(?:md|do|mbbs|mbchb|np|fnp|pa-c|frcp|mrcgp|dpm)\b/i;

const LETTERHEAD = new Set<Slot>(['phone', 'fax', 'referrerPhone', 'referrerFax', 'address', 'organization', 'npi', 'date', 'referralDate', 'cityStateZip', 'ignore']);

// A heading is the whole line: "PATIENT INFORMATION", "Referring provider details", "Insurance". A title such as
// "SPECIALIST REFERRAL REQUEST" is not one.
const NOUN = "(?: (?:information|info|details|data|section|demographics|particulars|identification|contact details|use only))?";
const heading = (words: string) => new RegExp(`^(?:${words})${NOUN}$`);
const HEADINGS: [Section, RegExp][] = [
  ['other', heading("emergency contact|next of kin|guarantor|parent|guardian|parent guardian|carer|caregiver|responsible party|subscriber|policy ?holder")],
  ['patient', heading("patient|pt|client|member|demographics|personal|patient demographics|about the patient|patient identification|patient contact|patient's|patients")],
  ['referrer', heading('referring (?:provider|physician|doctor|clinician|practitioner|practice|gp|organi[sz]ation|facility|source|clinic)|referrer|referral source|source of referral|referred by|requesting (?:provider|physician|clinician|doctor)|ordering (?:provider|physician)|sender|from|gp|practice|provider|physician')],
  ['insurance', heading('insurance|coverage|payer|payor|billing|health plan|primary insurance|secondary insurance|insurance and billing|insurance billing')],
  ['target', heading('referred to|refer to|referral to|referral destination|consultant|specialist|receiving (?:provider|clinic|service|physician)|to|recipient|destination')],
  ['clinical', heading('clinical|reason for referral|history|medical history|medications?|examination|investigations?|diagnos[ie]s|assessment|plan|summary|presenting complaint|symptoms|findings|clinical (?:information|details|summary|history)')],
];

function headingOf(text: string, segs: Segment[]): Section | null {
  if (segs.some((s) => s.valueEnd > s.valueStart)) return null;
  // "Insurance details:" heads a block; "health plan:" or "HEALTH PLAN:" with nothing after is a blank field.
  if (/[:\-–]\s*$/.test(text) && !/\b(?:information|info|details|demographics|data|particulars)\b/i.test(text)) return null;
  const t = text
    .toLowerCase()
    .replace(/^\s*(?:section\s+\w{1,3}|part\s+\w{1,3}|\d{1,2}|[a-h])[.):\-]\s*/, '')
    .replace(/[^a-z' ]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
  if (!t || t.split(' ').length > 6) return null;
  for (const [section, re] of HEADINGS) if (re.test(t)) return section;
  // Any other short heading in capitals ("REFERRAL", "CLINICAL HISTORY") starts a part no earlier heading owns.
  const letters = text.replace(/[^A-Za-z]/g, '');
  if (!segs.length && letters.length >= 4 && letters === letters.toUpperCase() && !/\d/.test(text) && t.split(' ').length <= 4 && !ORG.test(text)) return 'none';
  return null;
}

const PATIENT_SLOTS = new Set<Slot>(['patientName', 'nameLastFirst', 'firstName', 'lastName', 'birthDate', 'sex', 'ageSex', 'mrn', 'patientId', 'nhs', 'medicare', 'medicaid', 'ssn', 'otherId', 'patientPhone', 'patientAddress']);
const REFERRER_SLOTS = new Set<Slot>(['referrerName', 'npi', 'organization', 'referrerPhone', 'referrerFax']);

/**
 * What each block of lines (lines with no blank line between) is about: a block with a date of birth or an NHS
 * number and no NPI is the patient's, so its "Name:" and "Mobile:" are too; a "To:" block is the destination's.
 */
function blockSections(doc: Doc, infos: LineInfo[]): Section[] {
  const out: Section[] = new Array(doc.lines.length).fill('none');
  let start = 0;
  for (let i = 1; i <= doc.lines.length; i++) {
    const l = doc.lines[i];
    if (l && !l.blankBefore && l.page === doc.lines[i - 1]!.page) continue;
    const segs = infos.slice(start, i).flatMap((x) => x.segs);
    const patient = segs.filter((s) => PATIENT_SLOTS.has(s.entry.slot)).length;
    const referrer = segs.filter((s) => REFERRER_SLOTS.has(s.entry.slot)).length;
    const kind: Section = /^\s*(?:(?:to|attention|for the attention of)\s*[:-]|attn\b|fao\b)/i.test(doc.lines[start]!.text) ? 'target' : patient && !referrer ? 'patient' : referrer && !patient ? 'referrer' : 'none';
    out.fill(kind, start, i);
    start = i;
  }
  return out;
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
    if (m && (!text.slice(m.length).trim() || /^\s*(?:yours|sincerely|kind|best|warm|regards|respectfully|cordially|with)/i.test(m))) closing = i;
  }
  const letter = salutation >= 0 || closing >= 0;
  // No closing line: a letter still ends in its signature ("Dr A. Patel, Riverside Family Practice, NPI ...").
  let signature = closing;
  if (signature < 0 && letter) {
    for (let i = Math.max(opening + 1, n - 3); i < n && signature < 0; i++) if (SIGNATURE.test(doc.lines[i]!.text)) signature = i;
  }
  // A form's letterhead: the lines above its first section or patient label (practice name, phone, fax).
  const top = letter ? 0 : Math.min(6, Math.max(0, infos.findIndex((x, i) => headingOf(doc.lines[i]!.text, x.segs) !== null || x.segs.some((s) => !LETTERHEAD.has(s.entry.slot)))));
  // A letterhead names its practice or gives its address; a title and a "tel:" alone are the form's own fields.
  const named = doc.lines.slice(0, top).some((l, i) => !infos[i]!.segs.length && (ORG.test(l.text) || /\d+\s+\w+\s+(?:street|st|road|rd|avenue|ave|lane|drive|blvd|way)\b|\b[A-Z]{2}\s+\d{5}\b/i.test(l.text)));
  const formTop = named ? top : 0;
  const blocks = blockSections(doc, infos);
  let section: Section = 'none';
  // On a form without headings, the part the last specific label belonged to ("Referring provider -", "NHS
  // number -") goes on to the generic labels below it ("Ph -", "Address -") until another part's label or a heading.
  let implied: Section = 'none';
  let reActive = false;
  let toActive = false;
  for (let i = 0; i < n; i++) {
    const line = doc.lines[i]!;
    const info = infos[i]!;
    if (!letter && i < formTop) info.zone = 'header';
    if (letter) info.zone = i < opening && opening < n ? 'header' : signature >= 0 && i >= signature ? 'signature' : 'body';
    // Patient details follow a "Re:" line as labelled lines; the first line of prose ends them.
    if (line.blankBefore || !info.segs.some((s) => s.labelStart <= 3)) reActive = false;
    // A fax cover's "To:" lines (recipient, its fax) run until a blank line or "From:".
    if (line.blankBefore || /^\s*(?:from|sender|referring|re)\b/i.test(line.text)) toActive = false;
    if (/^\s*(?:to|attn|attention|fao|for the attention of|recipient)\b\s*[:\-]/i.test(line.text)) toActive = true;
    const h = headingOf(line.text, info.segs);
    if (h) {
      section = h;
      info.heading = true;
    } else if (info.segs[0]?.entry.slot === 're' && info.segs[0].labelStart <= 2) reActive = true;
    const block = blocks[i]!;
    const strongHeading = section === 'patient' || section === 'referrer' || section === 'insurance' || section === 'target';
    if (info.zone === 'signature') info.section = 'referrer';
    else if (toActive) info.section = 'target';
    else if (reActive) info.section = 'patient';
    else if (block !== 'none' && !strongHeading) info.section = block;
    else if (info.zone === 'header') info.section = 'referrer';
    else info.section = section;
    if (h) implied = 'none';
    const lead = info.segs[0];
    const leads = lead && lead.labelStart <= 3 ? lead.entry.implies : undefined;
    if (!letter && section === 'none' && info.section === 'none' && !leads && implied !== 'none' && lead && lead.labelStart <= 3) info.section = implied;
    if (leads === 'patient' || leads === 'referrer' || leads === 'insurance' || leads === 'target') implied = leads;
    else if (leads === 'clinical') implied = 'none';
  }
  return infos;
}
