import { describe, expect, it } from 'vitest';
import { accuracyAtCoverage, classRecall, macroF1, topOneAccuracy } from './metrics.ts';

const p = (k: number, K = 3) => Array.from({ length: K }, (_, i) => (i === k ? 0.8 : 0.2 / (K - 1)));

describe('metrics with label sets', () => {
  it('counts a prediction as correct when it is any of the labels', () => {
    expect(topOneAccuracy([p(0), p(1), p(2)], [[0, 1], [0, 1], [0]])).toBeCloseTo(2 / 3);
  });

  it('reduces to the ordinary macro-F1 for single labels', () => {
    // class 0: tp 1, fp 1, fn 0 → 2/3; class 1: tp 1, fp 0, fn 1 → 2/3; class 2 absent from gold.
    expect(macroF1([p(0), p(1), p(0)], [[0], [1], [1]], 3)).toBeCloseTo(2 / 3);
  });

  it('does not charge a class when the item was correctly predicted as another of its labels', () => {
    expect(macroF1([p(1)], [[0, 1]], 3)).toBeCloseTo(0.5); // class 1 F1 = 1, class 0 F1 = 0 (no tp)
    expect(classRecall([p(0), p(1)], [[0], [0]], 0)).toBe(0.5);
  });
  it('scores only the most confident share for accuracy at coverage', () => {
    const probs = [[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.45, 0.55]];
    const gold = [[0], [1], [1], [0]];
    // Ranked by confidence: 0.9 (right), 0.7 (right), 0.6 (wrong), 0.55 (wrong).
    expect(accuracyAtCoverage(probs, gold, 0.5)).toBe(1);
    expect(accuracyAtCoverage(probs, gold, 0.75)).toBeCloseTo(2 / 3);
    expect(accuracyAtCoverage(probs, gold, 1)).toBe(0.5);
  });
});
