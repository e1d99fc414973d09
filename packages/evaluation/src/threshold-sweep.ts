// Pure threshold sweeps over sorted predictions. Candidate thresholds are the observed confidences.

export type ScoredConfidence = { confidence: number; correct: boolean };
export type PrecisionPick = { threshold: number; precision: number; covered: number };

/**
 * The lowest threshold t (an observed confidence) for which the items with confidence ≥ t have precision
 * ≥ target. Null when no threshold reaches it. Precision is not monotone in t; this returns the lowest t that
 * meets the target, which is what maximises coverage, and the caller re-checks the whole policy anyway.
 */
export function lowestThresholdForPrecision(items: ScoredConfidence[], target: number): PrecisionPick | null {
  const sorted = [...items].sort((a, b) => b.confidence - a.confidence);
  let correct = 0;
  let best: PrecisionPick | null = null;
  for (let i = 0; i < sorted.length; i++) {
    const item = sorted[i]!;
    if (item.correct) correct++;
    // Only evaluate at the end of a run of equal confidences: "≥ t" takes all ties together.
    const next = sorted[i + 1];
    if (next && next.confidence === item.confidence) continue;
    const precision = correct / (i + 1);
    if (precision >= target) best = { threshold: item.confidence, precision, covered: i + 1 };
  }
  return best;
}

/**
 * The highest review threshold e such that at most maxRate × totalEmergent of the candidates (emergent cases that
 * would otherwise auto-route as non-emergent) have P(emergent) < e, i.e. slip through without review.
 */
export function highestEmergentReview(candidatePEmergent: number[], totalEmergent: number, maxRate: number): { threshold: number; missed: number } {
  const allowed = Math.floor(maxRate * totalEmergent + 1e-9);
  const sorted = [...candidatePEmergent].sort((a, b) => a - b);
  if (sorted.length <= allowed) return { threshold: 1, missed: sorted.filter((p) => p < 1).length };
  // Cases with p < sorted[allowed] are at most the `allowed` smallest (ties at the cut are all reviewed).
  const threshold = sorted[allowed]!;
  return { threshold, missed: sorted.filter((p) => p < threshold).length };
}
