import { describe, expect, it } from 'vitest';
import { binomialCdf, clopperPearsonUpper, fixedSequence } from './ltt.ts';

describe('Learn-then-Test', () => {
  it('binomial tail and Clopper-Pearson bounds match known values', () => {
    expect(binomialCdf(0, 10, 0.5)).toBeCloseTo(1 / 1024, 10);
    expect(binomialCdf(10, 10, 0.5)).toBe(1);
    // Rule of three: 0 events in n gives about 3/n at 95 %.
    expect(clopperPearsonUpper(0, 300, 0.05)).toBeCloseTo(1 - 0.05 ** (1 / 300), 6);
    expect(clopperPearsonUpper(5, 100, 0.05)).toBeGreaterThan(0.05);
    expect(clopperPearsonUpper(5, 100, 0.05)).toBeLessThan(0.11);
  });
  it('walks from the safest candidate and stops at the first risk it cannot bound', () => {
    // Candidate t routes cases with score >= t; cases with score < 0.5 are wrong.
    const scores = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const loss = (t: number) => {
      const routed = scores.filter((s) => s >= t);
      return { losses: routed.filter((s) => s < 0.5).length, n: routed.length };
    };
    const candidates = [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.3];
    const r = fixedSequence(candidates, loss, 0.05, 0.05);
    expect(r.chosen).toBe(0.5);
    expect(r.steps.at(-1)!.rejected).toBe(false);
    // Too few cases at the top are skipped, not fatal.
    expect(fixedSequence([0.999, 0.5], loss, 0.05, 0.05, 10).chosen).toBe(0.5);
    expect(fixedSequence([0.999, 0.5], loss, 0.05, 0.05, 1).chosen).toBeNull();
  });
});
