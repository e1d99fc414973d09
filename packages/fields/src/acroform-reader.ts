// AcroForm fields, mapped by their names ("Patient Name", "patient_dob", "ReferringDr", "chkUrgent").
import type { FieldEvidence, FieldName } from '@triage/contracts';
import { candidate, type Candidate, type Sink } from './candidate.ts';
import type { Doc } from './doc.ts';
import { fold, scanLine } from './label-scan.ts';
import { LABELS, type LabelEntry, type Section, type Slot } from './labels.ts';
import { ORG } from './names.ts';
import { priorityFromValue } from './priority.ts';
import { readSlot } from './slot-read.ts';
import { sexOf } from './value-read.ts';
import type { AcroField, PageInput } from './types.ts';

const PREFIX = /^(?:txt|tf|fld|field|chk|cb|cbx|check|checkbox|box|rb|radio|opt|ddl|cbo|dd|lst|list|sel|btn|text)$/;
const SECTION_WORDS: [Section, RegExp][] = [
  ['patient', /^(?:patient|pt|client|member|pat)$/],
  ['referrer', /^(?:referring|referrer|ref|refer|physician|phys|provider|prov|doctor|dr|md|gp|pcp|from|sender|requesting|ordering|practice|office)$/],
  ['insurance', /^(?:insurance|ins|payer|payor|plan|subscriber|policy)$/],
  ['target', /^(?:to|specialist|consultant|receiving|recipient)$/],
];
const ABBREV: Record<string, string> = { dob: 'date of birth', nm: 'name', tel: 'phone', ph: 'phone', addr: 'address', dx: 'diagnosis', mbr: 'member', num: 'number', nbr: 'number', no: 'number', fname: 'first name', lname: 'last name', dr: 'doctor', phys: 'physician', spec: 'specialty', rsn: 'reason', ins: 'insurance', ref: 'referring', urg: 'urgency', prio: 'priority', pri: 'priority', svc: 'service', desc: 'description', hx: 'history', comm: 'comments', cmt: 'comments' };

const BY_FOLD = new Map<string, LabelEntry>();
for (const e of LABELS) if (!BY_FOLD.has(fold(e.phrase))) BY_FOLD.set(fold(e.phrase), e);

/** "form1[0].page1[0].ReferringDr[0]" → ["referring", "dr"]: last path part, camelCase split, prefixes dropped. */
export function nameTokens(name: string): { tokens: string[]; checkbox: boolean } {
  const parts = name.replace(/\[\d+\]/g, '').split('.').filter(Boolean);
  // "patient.name", "refer.to": the parent says what the part is; "form1.page1.PatientName" has none worth keeping.
  const parent = parts.length > 1 ? parts[parts.length - 2]! : '';
  const keepParent = parent && !/^(?:form|page|subform|topmostsubform|sub|p|f|s|section|group|grp|fields?)\d*$/i.test(parent) && parts[parts.length - 1]!.length <= 12;
  const last = (keepParent ? `${parent}_${parts[parts.length - 1]}` : parts[parts.length - 1]) ?? name;
  const tokens = last
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)|(\d)([A-Za-z])/g, '$1$3 $2$4')
    .toLowerCase()
    .split(/[^a-z0-9#]+/)
    .filter(Boolean);
  const checkbox = /^(?:chk|cb|cbx|check|checkbox|box|rb|radio|opt)$/.test(tokens[0] ?? '');
  while (tokens.length > 1 && PREFIX.test(tokens[0]!)) tokens.shift();
  while (tokens.length > 1 && /^\d+$/.test(tokens[tokens.length - 1]!)) tokens.pop();
  return { tokens, checkbox };
}

/** The label an AcroForm name stands for, and the section its leading words put it in. */
export function mapName(tokens: string[]): { entry: LabelEntry; section: Section; exact: boolean } | null {
  const expand = (ts: string[]) => ts.flatMap((t) => (ABBREV[t] ?? t).split(' '));
  const whole = BY_FOLD.get(fold(tokens.join(' '))) ?? BY_FOLD.get(fold(expand(tokens).join(' ')));
  if (whole) return { entry: whole, section: whole.implies ?? 'none', exact: true };
  let section: Section = 'none';
  let rest = [...tokens];
  for (const [s, re] of SECTION_WORDS) {
    if (rest.length > 1 && re.test(rest[0]!)) {
      section = s;
      rest = rest.slice(1);
      break;
    }
  }
  for (const ts of [rest, expand(rest)]) {
    const e = BY_FOLD.get(fold(ts.join(' ')));
    if (e) return { entry: e, section: e.implies && section === 'none' ? e.implies : section, exact: false };
  }
  // "ReasonReferral", "DxIcd10", "ReferralReason": the label's words, in any order, small words and endings aside;
  // a name may add a word that only says how the value is written ("code", "number").
  const key = stems(expand(rest));
  if (!key.length) return null;
  let best: { e: LabelEntry; n: number } | null = null;
  for (const e of BY_STEMS) {
    if (!e.stems.every((t) => key.includes(t))) continue;
    const extra = key.filter((t) => !e.stems.includes(t));
    if (extra.some((t) => !NEUTRAL.has(t))) continue;
    if (!best || e.stems.length > best.n) best = { e: e.entry, n: e.stems.length };
  }
  if (best) return { entry: best.e, section: best.e.implies && section === 'none' ? best.e.implies : section, exact: false };
  return null;
}

const STOP = new Set(['for', 'of', 'the', 'a', 'an', 'and', 'in', 'on', 'at', 'with']);
const NEUTRAL = new Set(['icd', 'code', 'codes', 'number', 'num', 'no', 'text', 'txt', 'value', 'field', 'details', 'detail', 'info', 'information', 'desc', 'description', 'cm']);
/** Words of a label or a field name, small words dropped and endings cut: "referral"/"referred"/"referring" are one. */
function stems(ts: string[]): string[] {
  return ts
    .flatMap((t) => t.toLowerCase().split(/[^a-z0-9]+/))
    .filter((t) => t && !STOP.has(t) && !/^\d+$/.test(t))
    .map((t) => (t.length > 5 ? t.replace(/(?:rals?|rers?|red|ring|ers|ed|ing|s)$/, '') : t));
}
const BY_STEMS: { entry: LabelEntry; stems: string[] }[] = LABELS.filter((e) => !e.weak || e.phrase.length > 3).map((e) => ({ entry: e, stems: stems(e.phrase.split(/[\s/()-]+/)) })).filter((e) => e.stems.length > 0);

/** Field names that are a form's notes or comments: where a form without a reason field gets its reason written. */
const NOTES = /^(?:(?:clinical|referral|additional|other)\s+)?(?:notes?|comments?|remarks|details)$/;

const isChecked = (f: AcroField) => f.checked === true || (f.checked === undefined && f.value !== null && !/^(?:off|no|false|0|unchecked)$/i.test(String(f.value).trim()));

/** Where an AcroForm value shows in the text layer, if it does. */
function locate(doc: Doc, f: AcroField, value: string): { page: number; start: number; end: number } | null {
  if (value.trim().length < 3) return null;
  const pages: [PageInput, number][] = doc.pages.map((p, i) => [p, i]);
  const order = f.page ? pages.filter(([p]) => p.pageNo === f.page).concat(pages.filter(([p]) => p.pageNo !== f.page)) : pages;
  for (const [p, i] of order) {
    const k = p.text.indexOf(value.trim());
    if (k >= 0) return { page: i, start: k, end: k + value.trim().length };
  }
  return null;
}

/** A box's name split into its group ("priority", "urg") and its option ("routine", "stat"). */
function boxOption(tokens: string[]): { group: LabelEntry | null; option: string } {
  for (let k = tokens.length - 1; k >= 1; k--) {
    const m = mapName(tokens.slice(0, k));
    if (m) return { group: m.entry, option: tokens.slice(k).join(' ') };
  }
  return { group: null, option: tokens.join(' ') };
}

const SLOT_FIELD: Partial<Record<Slot, FieldName>> = {
  priority: 'statedPriority', referredTo: 'referredTo', to: 'referredTo', clinic: 'referredTo', reason: 'reason', reasonWeak: 'reason',
  diagnosis: 'diagnoses', sex: 'sex', birthDate: 'birthDate', patientName: 'patientName', firstName: 'patientName', lastName: 'patientName',
  nameLastFirst: 'patientName', mrn: 'mrn', patientId: 'mrn', patientPhone: 'patientPhone', referrerPhone: 'referrerPhone', fax: 'referrerFax',
  referrerFax: 'referrerFax', patientAddress: 'patientAddress', payer: 'insurancePayer', memberId: 'insuranceMemberId', referrerName: 'referrerName',
  provider: 'referrerName', gp: 'referrerName', npi: 'referrerNpi', organization: 'referrerOrganization', referralDate: 'referralDate',
};

/** The field a form field holds, by its label and section ("phone" in the referrer's part is the referrer's). */
function fieldOf(slot: Slot, section: Section): FieldName | undefined {
  if (slot === 'phone') return section === 'referrer' ? 'referrerPhone' : section === 'patient' ? 'patientPhone' : undefined;
  if (slot === 'name') return section === 'referrer' ? 'referrerName' : section === 'patient' ? 'patientName' : undefined;
  if (slot === 'address') return section === 'patient' ? 'patientAddress' : undefined;
  if (slot === 'date') return section === 'referrer' ? 'referralDate' : undefined;
  return SLOT_FIELD[slot];
}

/** "Dr A Patel MD - Riverside Practice", "Dr B Okafor / Elm Surgery": a name field that also names the practice. */
const NAME_ORG_SPLIT = /\s+[-–\/|]\s+|,\s+(?=\S+(?:\s+\S+){0,5}$)/g;

/**
 * Reads the filled AcroForm. Returns the fields the form has a place for (filled or not): for those, the printed
 * page is only the form's labels and its owner's letterhead, and a value read from it is not the referral's.
 */
export function readAcroForm(doc: Doc, fields: AcroField[], sink: Sink): Set<FieldName> {
  const covered = new Set<FieldName>();
  const notes: { value: string; f: AcroField }[] = [];
  let reasonField = false;
  for (const f of fields) {
    const { tokens, checkbox } = nameTokens(f.name);
    const mapped = mapName(tokens);
    const boxy = f.kind === 'checkbox' || f.kind === 'radio' || (checkbox && f.kind !== 'text');
    const reroute = (c: Candidate, evs: FieldEvidence[], p: number) => sink({ ...c, source: 'acroform', evidence: c.evidence.length ? c.evidence : evs, confidence: Math.min(c.confidence, p) });
    if (boxy) {
      const { group, option } = boxOption(tokens);
      const exportValue = f.value && !/^(?:on|yes|true|1|checked|x|off|no|false|0)$/i.test(f.value) ? f.value : '';
      const priorityGroup = group?.slot === 'priority' || mapped?.entry.slot === 'priority';
      // A box (or a radio group) is a priority one when its group says so or its option is a priority word.
      const pr = priorityGroup ? priorityFromValue(exportValue || option) : (priorityFromValue(option) ?? (exportValue ? null : priorityFromValue(tokens.join(' '))));
      if (pr || priorityGroup) covered.add('statedPriority');
      if (group?.slot === 'sex' || mapped?.entry.slot === 'sex' || /^(?:male|female)$/.test(option)) covered.add('sex');
      if (!isChecked(f)) continue;
      if (pr) {
        sink(candidate('statedPriority', pr.value, 0.95, [], 'acroform'));
        continue;
      }
      const words = tokens.join(' ');
      const sex = mapped?.entry.slot === 'sex' || group?.slot === 'sex' ? sexOf(exportValue || option) : /^(?:male|female)$/.test(option) ? sexOf(option) : null;
      if (sex) {
        sink(candidate('sex', sex, 0.93, [], 'acroform'));
        continue;
      }
      const clinic = doc.clinics.best(exportValue || option) ?? doc.clinics.best(words);
      if (clinic) sink(candidate('referredTo', { raw: exportValue || f.name, specialty: clinic.specialty }, 0.92, [], 'acroform'));
      continue;
    }
    const value = String(f.value ?? '').trim();
    if (!mapped) {
      if (NOTES.test(tokens.join(' ')) && value) notes.push({ value, f });
      continue;
    }
    const slot = mapped.entry.slot;
    const field = fieldOf(slot, mapped.section);
    if (field) covered.add(field);
    if (field === 'reason') reasonField = true;
    if (!value) continue;
    // Read the value as its label's reader would, on a scratch page holding just the value.
    const read = (text: string, s: Slot, section: Section) => {
      const scratch: Doc = { ...doc, pages: [{ pageNo: 1, text, source: 'plain' }], lines: [], words: [[]], texts: [text] };
      const found = locate(doc, f, text);
      const evs: FieldEvidence[] = found ? [{ page: doc.pages[found.page]!.pageNo, start: found.start, end: found.end }] : [];
      // readSlot scales by the label's worth (0.96 for an explicit one): a named field reads at about 0.96.
      // A named form field is a label that cannot be misread or misplaced: only the value's own checks discount it.
      const base = mapped.exact ? 1.02 : 0.98;
      readSlot(s, { doc: scratch, page: 0, start: 0, end: text.length, base, source: 'acroform', section, zone: 'none' }, (c) => reroute({ ...c, evidence: [] }, evs, 0.99));
    };
    if (field === 'referrerName') {
      // The practice after the name, when the rest reads as one.
      const parts = value.split(NAME_ORG_SPLIT);
      const org = parts.length > 1 ? parts[parts.length - 1]! : '';
      if (org && ORG.test(org)) {
        read(value.slice(0, value.length - org.length).replace(/[\s,\/|–-]+$/, ''), slot, mapped.section);
        read(org, 'organization', 'referrer');
        continue;
      }
    }
    read(value, slot, mapped.section);
  }
  // A form with no reason field writes the reason in its notes. A note that starts with its own label ("Dx: ...")
  // is read as that label says; a note run on into the next field ("notes", "notes2") is one when the first one
  // is full (long, and cut mid-sentence).
  const prose: { value: string; f: AcroField }[] = [];
  for (const n of notes) {
    const seg = scanLine(n.value, false)[0];
    if (seg && seg.labelStart === 0 && seg.valueEnd > seg.valueStart && seg.entry.slot !== 'reason' && seg.entry.slot !== 'reasonWeak') {
      const scratch: Doc = { ...doc, pages: [{ pageNo: 1, text: n.value, source: 'plain' }], lines: [], words: [[]], texts: [n.value] };
      readSlot(seg.entry.slot, { doc: scratch, page: 0, start: seg.valueStart, end: seg.valueEnd, base: 0.94, source: 'acroform', section: 'clinical', zone: 'none' }, (c) => sink({ ...c, source: 'acroform', evidence: [] }));
      continue;
    }
    const prev = prose[prose.length - 1];
    if (prev && prev.value.length >= 60 && !/[.!?]\s*$/.test(prev.value)) prev.value = `${prev.value} ${n.value}`;
    else if (!prev) prose.push({ ...n });
  }
  const first = prose[0];
  if (!reasonField && first) {
    const text = first.value.replace(/\s+/g, ' ').trim();
    const found = locate(doc, first.f, text);
    const evs: FieldEvidence[] = found ? [{ page: doc.pages[found.page]!.pageNo, start: found.start, end: found.end }] : [];
    const scratch: Doc = { ...doc, pages: [{ pageNo: 1, text, source: 'plain' }], lines: [], words: [[]], texts: [text] };
    readSlot('reasonWeak', { doc: scratch, page: 0, start: 0, end: text.length, base: 1, source: 'acroform', section: 'clinical', zone: 'none' }, (c) => sink({ ...c, source: 'acroform', evidence: evs }));
    covered.add('reason');
  }
  if (!covered.has('referredTo')) formTitle(doc, sink);
  return covered;
}

/** "T S A I  O R T H O D O N T I C S": letter-spaced words closed up (offsets are not kept: used for matching only). */
export function closeUp(line: string): string {
  // Within letter-spaced text a word gap is two or three spaces; a column gap is wider.
  return line
    .replace(/\b(?:[A-Za-z] ){2,}[A-Za-z]\b(?:( {2,3})(?:[A-Za-z] ){1,}[A-Za-z]\b)*/g, (run) => run.replace(/ {2,3}/g, '\u0000').replace(/ /g, '').replace(/\u0000/g, ' '))
    .replace(/\s{4,}/g, '    ');
}

/**
 * A form's printed title names the service it is addressed to ("ORTHODONTIC REFERRAL", "Cardiology Referral
 * Form"): a filled form is the receiving service's own. Read from the first lines of the first page only.
 */
function formTitle(doc: Doc, sink: Sink): void {
  const lines = doc.lines.filter((l) => l.page === 0).slice(0, 8);
  for (const l of lines) {
    const printedCells = l.text.split(/\s{4,}|\t/);
    for (const [k, cell] of closeUp(l.text).split(/\s{4,}|\t/).entries()) {
      const m = /^\s*([A-Za-z][A-Za-z &/-]{2,40}?)\s+(?:referral|consultation|consult)(?:\s+(?:form|request|slip))?\s*$/i.exec(cell);
      const clinic = m && doc.clinics.best(m[1]!);
      if (clinic) {
        // The raw name as printed (letter spacing and all), so it is found in its evidence.
        const printed = (printedCells[k] ?? l.text).trim();
        const at = l.start + Math.max(0, l.text.indexOf(printed));
        sink(candidate('referredTo', { raw: printed, specialty: clinic.specialty }, 0.9, [{ page: doc.pages[0]!.pageNo, start: at, end: at + printed.length }], 'text'));
        return;
      }
    }
  }
}
