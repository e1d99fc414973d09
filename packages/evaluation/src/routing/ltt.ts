// Learn-then-Test (Angelopoulos et al., 2021): thresholds whose risk is bounded with confidence 1 - δ, by testing
// "risk > α" at each candidate with an exact binomial p-value, in a fixed order from safest to most permissive.

/** ln C(n, k), by summing logs (n here is at most a few thousand). */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** P(Bin(n, p) ≤ k). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  let total = 0;
  for (let i = 0; i <= k; i++) total += Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
  return Math.min(1, total);
}

/** Exact p-value of H0 "risk > α" after k losses in n draws: small when k/n is well below α. */
export const binomialPValue = (k: number, n: number, alpha: number) => (n === 0 ? 1 : binomialCdf(k, n, alpha));

/** One-sided Clopper–Pearson upper bound on a rate after k events in n: the largest p with P(Bin(n,p) ≤ k) ≥ δ. */
export function clopperPearsonUpper(k: number, n: number, delta = 0.05): number {
  if (n === 0) return 1;
  if (k >= n) return 1;
  let lo = k / n;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (binomialCdf(k, n, mid) >= delta) lo = mid;
    else hi = mid;
  }
  return hi;
}

export type LttStep<T> = { candidate: T; losses: number; n: number; pValue: number; rejected: boolean };
export type LttResult<T> = { chosen: T | null; steps: LttStep<T>[] };

/**
 * Fixed-sequence testing: walk the candidates (ordered safest first), keep going while H0 is rejected at δ, and
 * return the last candidate rejected. Valid at level δ without a multiplicity correction because the order is
 * fixed before looking at the data.
 */
export function fixedSequence<T>(
  candidates: readonly T[],
  loss: (c: T) => { losses: number; n: number },
  alpha: number,
  delta: number,
  /**
   * Candidates whose set has fewer cases are not tested (a handful of cases can never reject H0 and would end the
   * walk at once). n depends on the scores only, not on the labels, so skipping on it keeps the test valid.
   */
  minN = 1,
): LttResult<T> {
  const steps: LttStep<T>[] = [];
  let chosen: T | null = null;
  for (const candidate of candidates) {
    const { losses, n } = loss(candidate);
    if (n < minN) continue;
    const pValue = binomialPValue(losses, n, alpha);
    const rejected = pValue <= delta;
    steps.push({ candidate, losses, n, pValue, rejected });
    if (!rejected) break;
    chosen = candidate;
  }
  return { chosen, steps };
}
