// Per-field scores of extracted values against generated truth: precision, recall, accuracy, calibration.
import { FIELD_NAMES, type FieldName, type FieldValue, type ReferralFields } from '@triage/contracts';
import { expectedCalibrationError, ratio, reliabilityBins, type ReliabilityBin } from '../metrics.ts';
import { sameValue } from './field-compare.ts';
import type { NamedClinic, TruthValues } from './referral-types.ts';

/** One document as scored: what was true, what was returned. */
export type ScoredDoc = { truth: TruthValues; unscored: readonly FieldName[]; predicted: ReferralFields; namedClinic?: NamedClinic };

export type FieldScore = {
  /** Documents the field was scored on. */
  docs: number;
  returned: number;
  present: number;
  correct: number;
  correctAbsent: number;
  /** correct / returned. */
  precision?: number;
  /** correct / present in truth. */
  recall?: number;
  /** (correct + correctly absent) / documents. */
  accuracy?: number;
};

/**
 * The returned value as scored. `identifiers` is scored on identifiers other than the MRN (which has its own
 * field): a list holding only the MRN counts as not returned.
 */
export function returnedField<K extends FieldName>(k: K, predicted: ReferralFields): ReferralFields[K] | undefined {
  const got = predicted[k];
  if (k !== 'identifiers' || !got) return got;
  const ids = predicted.identifiers!;
  const rest = ids.value.filter((i) => i.kind !== 'mrn');
  return (rest.length ? { ...ids, value: rest } : undefined) as ReferralFields[K] | undefined;
}

/** Whether field `k` was returned right; undefined when nothing was returned. */
export function fieldCorrect<K extends FieldName>(k: K, truth: TruthValues, predicted: ReferralFields): boolean | undefined {
  const got = returnedField(k, predicted);
  if (!got) return undefined;
  const want = truth[k] as FieldValue<K> | undefined;
  return want !== undefined && sameValue(k, want, got.value as FieldValue<K>);
}

export function scoreField(k: FieldName, docs: readonly ScoredDoc[]): FieldScore {
  const s: FieldScore = { docs: 0, returned: 0, present: 0, correct: 0, correctAbsent: 0 };
  for (const doc of docs) {
    if (doc.unscored.includes(k)) continue;
    s.docs++;
    const returned = returnedField(k, doc.predicted) !== undefined;
    const present = doc.truth[k] !== undefined;
    if (returned) s.returned++;
    if (present) s.present++;
    if (returned && fieldCorrect(k, doc.truth, doc.predicted)) s.correct++;
    if (!returned && !present) s.correctAbsent++;
  }
  const precision = ratio(s.correct, s.returned);
  const recall = ratio(s.correct, s.present);
  const accuracy = ratio(s.correct + s.correctAbsent, s.docs);
  return { ...s, ...(precision !== undefined && { precision }), ...(recall !== undefined && { recall }), ...(accuracy !== undefined && { accuracy }) };
}

export function scoreFields(docs: readonly ScoredDoc[]): Record<FieldName, FieldScore> {
  return Object.fromEntries(FIELD_NAMES.map((k) => [k, scoreField(k, docs)])) as Record<FieldName, FieldScore>;
}

export type Calibration = { n: number; ece?: number; bins: ReliabilityBin[] };

/** Every returned value's confidence against whether it was right (10 equal-width bins). */
export function fieldCalibration(docs: readonly ScoredDoc[], bins = 10): Calibration {
  const items: Array<{ confidence: number; correct: boolean }> = [];
  for (const doc of docs) {
    for (const k of FIELD_NAMES) {
      const got = returnedField(k, doc.predicted);
      if (!got || doc.unscored.includes(k)) continue;
      items.push({ confidence: got.confidence, correct: fieldCorrect(k, doc.truth, doc.predicted) === true });
    }
  }
  const table = reliabilityBins(items, bins);
  const ece = expectedCalibrationError(table);
  return { n: items.length, ...(ece !== undefined && { ece }), bins: table };
}

export type RightRate = { n: number; right: number; rate?: number };

const rate = (n: number, right: number): RightRate => {
  const r = ratio(right, n);
  return { n, right, ...(r !== undefined && { rate: r }) };
};

/** referredTo read right (by specialty) among referrals that name a clinic, overall and for right/wrong clinics. */
export function referredToRates(docs: readonly ScoredDoc[]): { named: RightRate; namedRight: RightRate; namedWrong: RightRate } {
  const of = (xs: readonly ScoredDoc[]) => rate(xs.length, xs.filter((d) => fieldCorrect('referredTo', d.truth, d.predicted) === true).length);
  const named = docs.filter((d) => d.truth.referredTo !== undefined);
  return { named: of(named), namedRight: of(named.filter((d) => d.namedClinic === 'right')), namedWrong: of(named.filter((d) => d.namedClinic === 'wrong')) };
}

/** statedPriority read right among referrals that state one. */
export function statedPriorityRate(docs: readonly ScoredDoc[]): RightRate {
  const stated = docs.filter((d) => d.truth.statedPriority !== undefined);
  return rate(stated.length, stated.filter((d) => fieldCorrect('statedPriority', d.truth, d.predicted) === true).length);
}
