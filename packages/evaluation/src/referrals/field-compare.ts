// Whether an extracted value is the true one, compared the way a scheduler would (format differences ignored).
import type { FieldName, FieldValue } from '@triage/contracts';

const TITLES = new Set(['dr', 'doctor', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof', 'professor', 'sir', 'dame']);
const POST_NOMINALS = new Set(['md', 'do', 'mbbs', 'mbchb', 'mb', 'chb', 'bm', 'bch', 'mrcgp', 'frcp', 'frcs', 'facp', 'dmd', 'dds', 'msd', 'np', 'fnp', 'pa', 'rn', 'phd', 'mph', 'bsc', 'jr', 'sr']);

const tokens = (s: string) => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];

/** A name's words, sorted: case, spacing, order ("Smith, John"), titles, post-nominals and initials ignored. */
export function nameKey(s: string): string {
  return tokens(s)
    .filter((t) => !TITLES.has(t) && !POST_NOMINALS.has(t) && t.length > 1)
    .sort()
    .join(' ');
}

/** A phone's national significant number: +44, +44 (0), a trunk 0 and a US leading 1 dropped. */
export function phoneKey(s: string): string {
  const d = s.replace(/\D/g, '');
  if (d.startsWith('440')) return d.slice(3);
  if (d.startsWith('44') && d.length >= 12) return d.slice(2);
  if (d.startsWith('0')) return d.slice(1);
  return d.length === 11 && d.startsWith('1') ? d.slice(1) : d;
}

export const idKey = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Token-multiset overlap: [share of truth tokens found, share of predicted tokens that are truth's]. */
export function overlap(truth: string, predicted: string): [recall: number, precision: number] {
  const t = tokens(truth);
  const p = tokens(predicted);
  if (!t.length || !p.length) return [0, 0];
  const left = new Map<string, number>();
  for (const w of t) left.set(w, (left.get(w) ?? 0) + 1);
  let hit = 0;
  for (const w of p) {
    const n = left.get(w) ?? 0;
    if (n > 0) {
      hit++;
      left.set(w, n - 1);
    }
  }
  return [hit / t.length, hit / p.length];
}

const f1 = ([r, p]: [number, number]) => (r + p ? (2 * r * p) / (r + p) : 0);
/** Same words, near enough (an address with or without its commas, "St" written the same way). */
const sameText = (a: string, b: string) => f1(overlap(a, b)) >= 0.8;
/** Free text: most of the true text is there, and not buried in a page of other text. */
const coversText = (truth: string, predicted: string) => {
  const [r, p] = overlap(truth, predicted);
  return r >= 0.6 && p >= 0.25;
};

type Diagnosis = FieldValue<'diagnoses'>[number];

/** By code set when both sides carry codes; otherwise each true diagnosis's text is covered by a returned one. */
export function sameDiagnoses(truth: Diagnosis[], predicted: Diagnosis[]): boolean {
  const codes = (xs: Diagnosis[]) => new Set(xs.flatMap((x) => (x.code ? [idKey(x.code)] : [])));
  const tc = codes(truth);
  const pc = codes(predicted);
  if (tc.size && pc.size) return tc.size === pc.size && [...tc].every((c) => pc.has(c));
  const joined = predicted.map((p) => p.text).join(' ');
  return truth.length > 0 && truth.every((t) => predicted.some((p) => coversText(t.text, p.text)) || coversText(t.text, joined));
}

type Identifier = FieldValue<'identifiers'>[number];

/** The same identifiers by kind and value; an extra 'mrn' entry is allowed (the MRN has its own field). */
export function sameIdentifiers(truth: Identifier[], predicted: Identifier[]): boolean {
  const key = (xs: Identifier[]) => new Set(xs.filter((x) => x.kind !== 'mrn').map((x) => `${x.kind}:${idKey(x.value)}`));
  const t = key(truth);
  const p = key(predicted);
  return t.size === p.size && [...t].every((k) => p.has(k));
}

/** Whether `predicted` is the truth's value for field `k`, normalised per field. */
export function sameValue<K extends FieldName>(k: K, truth: FieldValue<K>, predicted: FieldValue<K>): boolean {
  const t = truth as unknown;
  const p = predicted as unknown;
  switch (k) {
    case 'patientName':
    case 'referrerName':
      return nameKey(t as string) !== '' && nameKey(t as string) === nameKey(p as string);
    case 'patientPhone':
    case 'referrerPhone':
    case 'referrerFax':
      return phoneKey(t as string) === phoneKey(p as string);
    case 'mrn':
    case 'insuranceMemberId':
    case 'referrerNpi':
      return idKey(t as string) === idKey(p as string);
    case 'patientAddress':
    case 'referrerOrganization':
    case 'insurancePayer':
      return sameText(t as string, p as string);
    case 'reason':
      return coversText(t as string, p as string);
    case 'identifiers':
      return sameIdentifiers(t as Identifier[], p as Identifier[]);
    case 'diagnoses':
      return sameDiagnoses(t as Diagnosis[], p as Diagnosis[]);
    case 'referredTo':
      return (t as FieldValue<'referredTo'>).specialty === (p as FieldValue<'referredTo'>).specialty;
    default:
      // birthDate, referralDate (ISO), sex, statedPriority: exact.
      return t === p;
  }
}
