import { describe, expect, it } from 'vitest';
import { parsePolicy } from '@triage/routing';
import { buildCases, computeMetrics } from './cases.ts';
import type { TriagePrediction } from '@triage/routing';
import { accuracy, confusionMatrix, expectedCalibrationError, macroF1, recall, reliabilityBins } from './metrics.ts';
import { highestEmergentReview, lowestThresholdForPrecision } from './threshold-sweep.ts';
import { bumpVersion, chooseThresholds } from './thresholds.ts';
import type { TrainingRecord } from '@triage/classifier';

const item = (confidence: number, correct: boolean) => ({ confidence, correct });

describe('lowestThresholdForPrecision', () => {
  it('finds the lowest observed confidence meeting the target', () => {
    // Sorted: .9 ✓ .8 ✓ .7 ✗ .6 ✓ .5 ✗ → precision at each cut: 1, 1, .667, .75, .6
    const items = [item(0.6, true), item(0.9, true), item(0.5, false), item(0.8, true), item(0.7, false)];
    expect(lowestThresholdForPrecision(items, 0.75)).toEqual({ threshold: 0.6, precision: 0.75, covered: 4 });
    expect(lowestThresholdForPrecision(items, 0.8)).toEqual({ threshold: 0.8, precision: 1, covered: 2 });
    expect(lowestThresholdForPrecision(items, 0.5)).toEqual({ threshold: 0.5, precision: 0.6, covered: 5 });
  });
  it('treats ties as one cut and returns null when unreachable', () => {
    const items = [item(0.9, true), item(0.8, true), item(0.8, false)];
    // At 0.8 both tied items come in together: 2/3.
    expect(lowestThresholdForPrecision(items, 0.7)).toEqual({ threshold: 0.9, precision: 1, covered: 1 });
    expect(lowestThresholdForPrecision([item(0.9, false)], 0.5)).toBeNull();
    expect(lowestThresholdForPrecision([], 0.5)).toBeNull();
  });
});

describe('highestEmergentReview', () => {
  it('lets at most maxRate of the emergent cases slip below the threshold', () => {
    // 100 emergent cases, 1% allowed → 1 may slip: the threshold is the 2nd smallest P(emergent).
    expect(highestEmergentReview([0.3, 0.05, 0.2, 0.1], 100, 0.01)).toEqual({ threshold: 0.1, missed: 1 });
    expect(highestEmergentReview([0.3, 0.05, 0.2, 0.1], 100, 0)).toEqual({ threshold: 0.05, missed: 0 });
    expect(highestEmergentReview([0.3, 0.05], 100, 0.05)).toEqual({ threshold: 1, missed: 2 });
  });
  it('reviews every tie at the cut', () => {
    expect(highestEmergentReview([0.1, 0.1, 0.1], 10, 0.1)).toEqual({ threshold: 0.1, missed: 0 });
  });
});

describe('metrics', () => {
  const items = [
    { predicted: 'a', gold: ['a', 's'] },
    { predicted: 's', gold: ['a', 's'] },
    { predicted: 'b', gold: ['a'] },
    { predicted: 'b', gold: ['b'] },
  ];
  it('scores any-of accuracy, macro-F1, recall and a confusion matrix', () => {
    expect(accuracy(items)).toBe(0.75);
    // a: tp1 fp0 fn1 → 2/3; s: tp1 → 1; b: tp1 fp1 → 2/3
    expect(macroF1(items)).toBeCloseTo((2 / 3 + 1 + 2 / 3) / 3, 10);
    expect(recall(items, 'a')).toBe(1 / 3);
    expect(confusionMatrix(items, ['a', 'b', 's'])).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });
  it('computes ECE from equal-width bins', () => {
    const bins = reliabilityBins([item(0.95, true), item(0.95, false), item(0.35, false)]);
    expect(bins[9]).toMatchObject({ count: 2, accuracy: 0.5 });
    expect(expectedCalibrationError(bins)).toBeCloseTo((2 / 3) * 0.45 + (1 / 3) * 0.35, 10);
    expect(accuracy([])).toBeUndefined();
  });
});

describe('threshold choice on routed cases', () => {
  const policy = parsePolicy({
    version: 'p1+thr.2020-01-01',
    thresholds: { urgency: 0.5, specialty: 0.5, emergentReview: 0.5 },
    teams: { Urology: { team: 'U', email: 'u@example.org' }, Neurology: { team: 'N', email: 'n@example.org' } },
  });
  const pred = (u: 'emergent' | 'urgent' | 'routine', uc: number, pe: number, s: string, sc: number): TriagePrediction => ({
    urgency: { label: u, confidence: uc, probabilities: { emergent: pe, urgent: 1 - uc - pe, routine: uc } },
    specialty: { label: s, confidence: sc, probabilities: { [s]: sc } },
  });
  const records: TrainingRecord[] = [
    { text: 'a', specialties: ['Urology'] },
    { text: 'b', specialties: ['Urology'] },
    { text: 'c', specialties: ['Neurology'] },
    { text: 'd', urgency: 'emergent' },
    { text: 'e', urgency: 'emergent' },
    { text: 'f', urgency: 'routine' },
  ];
  const preds = [
    pred('routine', 0.9, 0.01, 'Urology', 0.95),
    pred('routine', 0.9, 0.01, 'Urology', 0.7),
    pred('routine', 0.9, 0.01, 'Urology', 0.6), // wrong specialty
    pred('routine', 0.8, 0.15, 'Urology', 0.2), // emergent, would slip without review
    pred('emergent', 0.7, 0.7, 'Urology', 0.2),
    pred('routine', 0.85, 0.05, 'Urology', 0.2),
  ];
  const groups = records.map(() => ({ source: 's', age: 'unknown', sex: 'unknown', documentType: 'unknown' }));
  const cases = buildCases(records, preds, groups, policy, null);

  it('picks thresholds that meet each target and reports what they achieve', () => {
    const r = chooseThresholds(cases, policy, { specialtyPrecision: 0.99, urgencyAccuracy: 0.6, emergentUndertriage: 0 });
    expect(r.thresholds.specialty).toBe(0.7);
    expect(r.thresholds.urgency).toBe(0.7);
    // The one emergent case that passes the urgency gate has P(emergent) 0.15: review must start at or below it.
    expect(r.thresholds.emergentReview).toBe(0.15);
    expect(r.achieved['urgencyGate.underTriageRate']).toBe(0);
    expect(r.achieved['auto.specialtyPrecision']).toBe(1);
  });

  it('never loosens emergentReview past the cap, and says what the data would allow', () => {
    const r = chooseThresholds(cases, policy, { specialtyPrecision: 0.99, urgencyAccuracy: 0.6, emergentUndertriage: 0, maxEmergentReview: 0.1 });
    expect(r.thresholds.emergentReview).toBe(0.1);
    expect(r.achieved.uncappedEmergentReview).toBe(0.15);
    expect(r.notes.join(' ')).toMatch(/capped at 0.1/);
  });

  it('measures under-triage on the urgency gate even when specialty sends the case to review', () => {
    const m = computeMetrics(buildCases(records, preds, groups, { ...policy, thresholds: { ...policy.thresholds, emergentReview: 0.9 } }, null));
    expect(m['triage.underTriageRate']).toBe(0);
    expect(m['urgencyGate.underTriageRate']).toBe(0.5);
  });

  it('bumps the version without stacking suffixes', () => {
    expect(bumpVersion(policy.version, new Date('2026-11-23T10:00:00Z'))).toBe('p1+thr.2026-11-23');
    expect(bumpVersion('policy-2026.11.1', new Date('2026-11-23T10:00:00Z'))).toBe('policy-2026.11.1+thr.2026-11-23');
  });
});
