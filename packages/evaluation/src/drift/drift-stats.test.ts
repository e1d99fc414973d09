import { describe, expect, it } from 'vitest';
import {
  binCounts,
  bssLabelShift,
  categoricalPsi,
  chi2Sf,
  chi2Test,
  decileEdges,
  kolmogorovSf,
  ksTest,
  numericPsi,
  psiFromCounts,
  type LabelPair,
} from './drift-stats.ts';

/** mulberry32 + Box–Muller: reproducible normals, so the p-value assertions never flake. */
function normals(n: number, seed: number, mean = 0): number[] {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, () => mean + Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()));
}
const repeat = (label: string, n: number) => new Array<string>(n).fill(label);

describe('PSI', () => {
  it('is 0 for identical samples and matches a hand-computed value', () => {
    const xs = normals(500, 1);
    expect(numericPsi(xs, xs)).toBe(0);
    expect(categoricalPsi(['a', 'b', 'a'], ['a', 'b', 'a'])).toBe(0);
    // shares 0.5/0.5 → 0.25/0.75: (−0.25)·ln(0.5) + 0.25·ln(1.5)
    expect(psiFromCounts([50, 50], [25, 75])).toBeCloseTo(0.274653072, 9);
    expect(categoricalPsi([...repeat('a', 2), ...repeat('b', 2)], ['a', 'b', 'b', 'b'])).toBeCloseTo(0.274653072, 9);
  });
  it('floors an empty bin at epsilon instead of going infinite', () => {
    const psi = psiFromCounts([100, 0], [50, 50]);
    expect(Number.isFinite(psi)).toBe(true);
    // (0.5 − 1)·ln(0.5) + (0.5 − 1e-4)·ln(0.5 / 1e-4)
    expect(psi).toBeCloseTo(-0.5 * Math.log(0.5) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4), 9);
  });
  it('bins numeric features by reference deciles (ties collapse bins)', () => {
    const ref = Array.from({ length: 100 }, (_, i) => i);
    const edges = decileEdges(ref);
    expect(edges).toEqual([9, 19, 29, 39, 49, 59, 69, 79, 89]);
    expect(binCounts(ref, edges)).toEqual(new Array(10).fill(10));
    expect(decileEdges([1, 1, 1, 2])).toEqual([1, 2]);
    expect(binCounts([0, 1, 1.5, 2, 3], [1, 2])).toEqual([2, 2, 1]);
  });
  it('grows with a shift: half a standard deviation is past the warn level', () => {
    expect(numericPsi(normals(2000, 2), normals(2000, 3))).toBeLessThan(0.02);
    expect(numericPsi(normals(2000, 2), normals(2000, 3, 0.5))).toBeGreaterThan(0.1);
  });
});

describe('KS', () => {
  it('gives D = 0 and p = 1 for identical samples', () => {
    const xs = normals(300, 4);
    expect(ksTest(xs, xs)).toEqual({ statistic: 0, pValue: 1 });
  });
  it('matches hand-computed D and scipy kstwobign p-values', () => {
    // [1,2,3,4] vs [3,4,5,6]: the ECDFs differ most at 2 (0.5 vs 0); λ = √(16/8)·0.5
    const r = ksTest([1, 2, 3, 4], [3, 4, 5, 6]);
    expect(r.statistic).toBe(0.5);
    expect(r.pValue).toBeCloseTo(0.6993741991, 8);
    const ties = ksTest([1, 2, 2, 3, 5], [2, 2, 4, 6, 7, 8]);
    expect(ties.statistic).toBeCloseTo(0.5, 12);
    expect(ties.pValue).toBeCloseTo(0.5029140336, 8);
    expect(kolmogorovSf(1.36)).toBeCloseTo(0.0494858768, 8);
    expect(kolmogorovSf(1.0)).toBeCloseTo(0.2699996717, 8);
    expect(kolmogorovSf(0.5)).toBeCloseTo(0.9639452437, 8);
    expect(kolmogorovSf(2.0)).toBeCloseTo(0.0006709253, 9);
  });
  it('finds a shifted normal (p < 0.001) and not two draws of the same one', () => {
    expect(ksTest(normals(500, 5), normals(500, 6, 0.5)).pValue).toBeLessThan(0.001);
    expect(ksTest(normals(500, 5), normals(500, 6)).pValue).toBeGreaterThan(0.05);
  });
});

describe('chi²', () => {
  it('matches hand-computed and scipy values', () => {
    // Every expected count is 15: 4 · 5² / 15 = 6.667, df 1
    const r = chi2Test([10, 20], [20, 10]);
    expect(r.statistic).toBeCloseTo(20 / 3, 12);
    expect(r.df).toBe(1);
    expect(r.pValue).toBeCloseTo(0.0098232745, 9);
    const r3 = chi2Test([30, 50, 20], [10, 40, 50]);
    expect(r3.statistic).toBeCloseTo(23.968253968, 8);
    expect(r3.pValue).toBeCloseTo(6.24251767e-6, 12);
  });
  it('has the closed forms it should', () => {
    expect(chi2Sf(3, 2)).toBeCloseTo(Math.exp(-1.5), 12); // df 2: e^(−x/2)
    expect(chi2Sf(20, 7)).toBeCloseTo(0.005569683073, 11);
    expect(chi2Sf(0.5, 10)).toBeCloseTo(0.999993388289, 11);
  });
  it('gives p = 1 for identical mixes and a single category (nothing to test)', () => {
    expect(chi2Test([5, 7, 9], [5, 7, 9])).toEqual({ statistic: 0, df: 2, pValue: 1 });
    expect(chi2Test([10], [30])).toEqual({ statistic: 0, df: 0, pValue: 1 });
    expect(chi2Test([10, 0], [30, 0]).df).toBe(0); // an empty category is not a degree of freedom
  });
});

describe('black-box label-shift estimation', () => {
  // C = P(pred | true): true a → 80% a, 20% b; true b → 30% a, 70% b.
  const reviewed: LabelPair[] = [
    ...repeat('a', 8).map(() => ({ predicted: 'a', actual: 'a' })),
    ...repeat('a', 2).map(() => ({ predicted: 'b', actual: 'a' })),
    ...repeat('b', 3).map(() => ({ predicted: 'a', actual: 'b' })),
    ...repeat('b', 7).map(() => ({ predicted: 'b', actual: 'b' })),
  ];
  it('recovers a known true-label shift from a 2×2 confusion matrix', () => {
    // True shares (0.3, 0.7) are predicted as C·q = (0.8·0.3 + 0.3·0.7, 0.2·0.3 + 0.7·0.7) = (0.45, 0.55).
    const live = [...repeat('a', 45), ...repeat('b', 55)];
    const r = bssLabelShift(reviewed, live, 20);
    expect(r.kind).toBe('estimated');
    if (r.kind !== 'estimated') return;
    expect(r.labels).toEqual(['a', 'b']);
    expect(r.distribution[0]).toBeCloseTo(0.3, 12);
    expect(r.distribution[1]).toBeCloseTo(0.7, 12);
    expect(r.clipped).toBe(false);
  });
  it('clips and renormalises a negative estimate', () => {
    // All predicted a: C⁻¹·(1, 0) = (1.4, −0.4) → (1, 0)
    const r = bssLabelShift(reviewed, repeat('a', 50), 20);
    expect(r).toMatchObject({ kind: 'estimated', clipped: true });
    if (r.kind === 'estimated') expect(r.distribution).toEqual([1, 0]);
  });
  it('says not estimable for a singular matrix, too few cases, or labels never reviewed', () => {
    // The model says a whatever the truth: both columns equal.
    const blind: LabelPair[] = [...repeat('a', 10).map(() => ({ predicted: 'a', actual: 'a' })), ...repeat('b', 10).map(() => ({ predicted: 'a', actual: 'b' }))];
    expect(bssLabelShift(blind, repeat('a', 30), 20)).toEqual({ kind: 'not_estimable', reason: 'confusion matrix is singular' });
    expect(bssLabelShift(reviewed.slice(0, 5), repeat('a', 30), 20)).toEqual({ kind: 'not_estimable', reason: '5 reviewed cases (need 20)' });
    expect(bssLabelShift(reviewed, ['a', 'c'], 20)).toEqual({ kind: 'not_estimable', reason: 'predicted labels never reviewed: c' });
  });
});
