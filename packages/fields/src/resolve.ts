// Readings → fields: readings that agree support each other; readings that disagree are a conflict.
import { FIELD_NAMES, type FieldEvidence, type FieldName, type ReferralFields } from '@triage/contracts';
import type { Candidate } from './candidate.ts';
import { samePhone } from './checks.ts';
import { sameName } from './names.ts';

/** Below this a differing reading is noise, not a rival worth a person's time. */
const RIVAL = 0.45;
export const CONFLICT_CAP = 0.5;

const alnum = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
const words = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

type C = Candidate;
const v = (c: C) => c.value as unknown;

/** Whether two readings of a field are one value written two ways. */
function same(field: FieldName, a: C, b: C): boolean {
  const x = v(a);
  const y = v(b);
  switch (field) {
    case 'birthDate':
    case 'referralDate': {
      const ax = a.alts ?? [x as string];
      const bx = b.alts ?? [y as string];
      return ax.some((d) => bx.includes(d));
    }
    case 'patientName':
    case 'referrerName':
      return sameName(x as string, y as string);
    case 'patientPhone':
    case 'referrerPhone':
    case 'referrerFax':
      return samePhone(x as string, y as string);
    case 'mrn':
    case 'referrerNpi':
    case 'insuranceMemberId':
      return alnum(x as string) === alnum(y as string);
    case 'referredTo': {
      const p = x as { raw: string; specialty: string | null };
      const q = y as { raw: string; specialty: string | null };
      // A clinic with no mapping ("Dr Jones, Suite 4") does not contradict one that maps.
      return p.specialty === null || q.specialty === null ? true : p.specialty === q.specialty;
    }
    case 'insurancePayer':
    case 'referrerOrganization':
    case 'patientAddress': {
      const p = words(x as string);
      const q = words(y as string);
      return p === q || p.includes(q) || q.includes(p);
    }
    case 'reason':
      return true;
    default:
      return JSON.stringify(x) === JSON.stringify(y);
  }
}

const overlapsAny = (e: FieldEvidence, es: FieldEvidence[]) => es.some((o) => o.page === e.page && o.start < e.end && e.start < o.end);

type Group = { members: C[]; confidence: number };

function groupConfidence(members: C[]): number {
  // Two different sentences offered as the reason do not make either more right.
  if (members[0]!.field === 'reason') return members[0]!.confidence;
  let miss = 1 - members[0]!.confidence;
  const seen: FieldEvidence[] = [...members[0]!.evidence];
  for (const m of members.slice(1)) {
    // The same words read twice (by two readers) are one piece of evidence, not two.
    if (m.evidence.length && m.evidence.every((e) => overlapsAny(e, seen))) continue;
    if (!m.evidence.length && m.source === members[0]!.source) continue;
    miss *= 1 - 0.5 * m.confidence;
    seen.push(...m.evidence);
  }
  return Math.min(0.99, 1 - miss);
}

/** The value a group stands for: the fullest name, the unambiguous date, the clinic that maps. */
function groupValue(field: FieldName, g: Group): C {
  const top = g.members[0]!;
  if (field === 'patientName' || field === 'referrerName') {
    // A bare surname ("Mr Walsh") gives way to the full name it belongs to; otherwise the best reading stands.
    if ((v(top) as string).includes(' ')) return top;
    return g.members.filter((m) => m.confidence >= top.confidence * 0.7).reduce((a, b) => ((v(b) as string).length > (v(a) as string).length ? b : a), top);
  }
  if (field === 'birthDate' || field === 'referralDate') {
    const common = g.members.reduce<string[]>((acc, m) => acc.filter((d) => (m.alts ?? [v(m) as string]).includes(d)), top.alts ?? [v(top) as string]);
    return common[0] && common[0] !== v(top) ? ({ ...top, value: common[0] } as C) : top;
  }
  if (field === 'referredTo') return g.members.find((m) => (v(m) as { specialty: string | null }).specialty !== null) ?? top;
  return top;
}

function mergeList(field: 'identifiers' | 'diagnoses', cs: C[]): ReferralFields[typeof field] {
  const seen = new Map<string, { item: unknown; confidence: number }>();
  for (const c of [...cs].sort((a, b) => b.confidence - a.confidence)) {
    for (const item of c.value as { kind?: string; value?: string; code?: string; text?: string }[]) {
      const key = field === 'identifiers' ? `${item.kind}:${alnum(item.value!)}` : item.code ?? words(item.text!);
      if (!seen.has(key)) seen.set(key, { item, confidence: c.confidence });
    }
  }
  const items = [...seen.values()];
  const best = [...cs].sort((a, b) => b.confidence - a.confidence)[0]!;
  const confidence = items.reduce((s, i) => s + i.confidence, 0) / items.length;
  return { value: items.map((i) => i.item), confidence: round(confidence), evidence: dedupe(cs.flatMap((c) => c.evidence)), source: best.source } as ReferralFields[typeof field];
}

const round = (x: number) => Math.round(x * 1000) / 1000;
function dedupe(es: FieldEvidence[]): FieldEvidence[] {
  const out: FieldEvidence[] = [];
  for (const e of es) if (!out.some((o) => o.page === e.page && o.start === e.start && o.end === e.end)) out.push(e);
  return out;
}

export function resolve(all: Candidate[]): ReferralFields {
  const fields: Record<string, unknown> = {};
  for (const field of FIELD_NAMES) {
    let cs = all.filter((c) => c.field === field).sort((a, b) => b.confidence - a.confidence);
    if (!cs.length) continue;
    if (field === 'identifiers' || field === 'diagnoses') {
      const merged = mergeList(field, cs);
      // An MRN alone is the mrn field; identifiers lists a document's identifiers when it has more than that.
      if (field === 'identifiers' && (merged!.value as { kind: string }[]).every((i) => i.kind === 'mrn')) continue;
      fields[field] = merged;
      continue;
    }
    // A title or a "-year-old man" is a guess: it yields to a labelled value instead of contradicting it.
    const strong = cs.filter((c) => !c.weak);
    if (strong.length) cs = cs.filter((c) => !c.weak || strong.some((s) => same(field, s, c)));
    const groups: Group[] = [];
    for (const c of cs) {
      const g = groups.find((x) => same(field, x.members[0]!, c));
      if (g) g.members.push(c);
      else groups.push({ members: [c], confidence: 0 });
    }
    for (const g of groups) g.confidence = groupConfidence(g.members);
    groups.sort((a, b) => b.confidence - a.confidence);
    const top = groups[0]!;
    const chosen = groupValue(field, top);
    const rivals = groups.slice(1).filter((g) => g.confidence >= RIVAL && !g.members.every((m) => m.weak));
    let confidence = top.confidence;
    const out: Record<string, unknown> = { value: chosen.value, confidence: 0, evidence: dedupe([chosen, ...top.members].flatMap((m) => m.evidence)), source: chosen.source };
    if (rivals.length) {
      const values = rivals.map((g) => groupValue(field, g).value);
      out.conflicts = values.filter((x, i) => values.findIndex((y) => JSON.stringify(y) === JSON.stringify(x)) === i);
      confidence = Math.min(CONFLICT_CAP, top.confidence / (top.confidence + rivals.reduce((s, g) => s + g.confidence, 0)));
    }
    out.confidence = round(confidence);
    fields[field] = out;
  }
  return fields as ReferralFields;
}
