// Stratified k-fold assignment shared by model selection, calibration and stacking.
import { shuffleInPlace, type Rng } from './prng.ts';

/** Stratified by each doc's rarest label: shuffle with the seeded rng, group by stratum, deal round-robin. */
export function assignFolds(gold: number[][], folds: number, rng: Rng): number[] {
  const freq = new Map<number, number>();
  for (const g of gold) for (const k of g) freq.set(k, (freq.get(k) ?? 0) + 1);
  const stratum = gold.map((g) => [...g].sort((a, b) => (freq.get(a) ?? 0) - (freq.get(b) ?? 0) || a - b)[0] ?? -1);
  const order = shuffleInPlace(
    gold.map((_, i) => i),
    rng,
  );
  // Stable sort keeps the shuffled order inside each stratum.
  order.sort((a, b) => stratum[a]! - stratum[b]!);
  const fold = new Array<number>(gold.length).fill(0);
  order.forEach((i, n) => {
    fold[i] = n % folds;
  });
  return fold;
}

/** Train/test row lists of fold f. */
export function foldRows(fold: number[], f: number): { train: number[]; test: number[] } {
  return { train: fold.flatMap((g, i) => (g === f ? [] : [i])), test: fold.flatMap((g, i) => (g === f ? [i] : [])) };
}
