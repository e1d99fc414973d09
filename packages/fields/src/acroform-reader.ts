// AcroForm fields, mapped by their names ("Patient Name", "patient_dob", "ReferringDr", "chkUrgent").
import type { FieldEvidence } from '@triage/contracts';
import { candidate, type Candidate, type Sink } from './candidate.ts';
import type { Doc } from './doc.ts';
import { fold } from './label-scan.ts';
import { LABELS, type LabelEntry, type Section } from './labels.ts';
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
const ABBREV: Record<string, string> = { dob: 'date of birth', nm: 'name', tel: 'phone', ph: 'phone', addr: 'address', dx: 'diagnosis', mbr: 'member', num: 'number', nbr: 'number', no: 'number', fname: 'first name', lname: 'last name', dr: 'doctor', phys: 'physician', spec: 'specialty', rsn: 'reason', ins: 'insurance', ref: 'referring' };

const BY_FOLD = new Map<string, LabelEntry>();
for (const e of LABELS) if (!BY_FOLD.has(fold(e.phrase))) BY_FOLD.set(fold(e.phrase), e);

/** "form1[0].page1[0].ReferringDr[0]" → ["referring", "dr"]: last path part, camelCase split, prefixes dropped. */
export function nameTokens(name: string): { tokens: string[]; checkbox: boolean } {
  const last = name.replace(/\[\d+\]/g, '').split('.').filter(Boolean).pop() ?? name;
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
  return null;
}

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

export function readAcroForm(doc: Doc, fields: AcroField[], sink: Sink): void {
  for (const f of fields) {
    const { tokens, checkbox } = nameTokens(f.name);
    const mapped = mapName(tokens);
    const boxy = f.kind === 'checkbox' || (checkbox && f.kind !== 'text');
    const reroute = (c: Candidate, evs: FieldEvidence[], p: number) => sink({ ...c, source: 'acroform', evidence: c.evidence.length ? c.evidence : evs, confidence: Math.min(c.confidence, p) });
    if (boxy) {
      if (!isChecked(f)) continue;
      const words = tokens.join(' ');
      const exportValue = f.value && !/^(?:on|yes|true|1|checked|x)$/i.test(f.value) ? f.value : '';
      const pr = priorityFromValue(words) ?? (mapped?.entry.slot === 'priority' ? priorityFromValue(exportValue) : null);
      if (pr) {
        sink(candidate('statedPriority', pr.value, 0.95, [], 'acroform'));
        continue;
      }
      const sex = mapped?.entry.slot === 'sex' ? sexOf(exportValue) : /^(?:male|female)$/.test(words) ? sexOf(words) : null;
      if (sex) {
        sink(candidate('sex', sex, 0.93, [], 'acroform'));
        continue;
      }
      const clinic = doc.clinics.best(exportValue || words);
      if (clinic) sink(candidate('referredTo', { raw: exportValue || f.name, specialty: clinic.specialty }, 0.92, [], 'acroform'));
      continue;
    }
    const value = String(f.value ?? '').trim();
    if (!value || !mapped) continue;
    // Read the value as its label's reader would, on a scratch page holding just the value.
    const scratch: Doc = { ...doc, pages: [{ pageNo: 1, text: value, source: 'plain' }], lines: [], words: [[]], texts: [value] };
    const found = locate(doc, f, value);
    const evs: FieldEvidence[] = found ? [{ page: doc.pages[found.page]!.pageNo, start: found.start, end: found.end }] : [];
    const slot = mapped.entry.slot;
    // readSlot scales by the label's worth (0.96 for an explicit one): a named field reads at about 0.96.
    const base = mapped.exact ? 1 : 0.94;
    readSlot(slot, { doc: scratch, page: 0, start: 0, end: value.length, base, source: 'acroform', section: mapped.section, zone: 'none' }, (c) => reroute({ ...c, evidence: [] }, evs, 0.99));
  }
}
