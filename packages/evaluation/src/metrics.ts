// Pure metrics over label strings. Gold is a set: a prediction counts when it is any of the item's labels.

export type Scored = { predicted: string; gold: readonly string[] };

export function accuracy(items: Scored[]): number | undefined {
  if (!items.length) return undefined;
  return items.filter((x) => x.gold.includes(x.predicted)).length / items.length;
}

/**
 * Macro-F1 over classes present in the gold sets, same definition as the classifier's model card: TP =
 * predicted c and c is gold; FP = predicted c, c not gold; FN = c gold and the prediction missed every gold label.
 */
export function macroF1(items: Scored[]): number | undefined {
  if (!items.length) return undefined;
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const present = new Set<string>();
  for (const { predicted, gold } of items) {
    for (const g of gold) present.add(g);
    if (gold.includes(predicted)) inc(tp, predicted);
    else {
      inc(fp, predicted);
      for (const g of gold) inc(fn, g);
    }
  }
  let sum = 0;
  for (const c of present) {
    const t = tp.get(c) ?? 0;
    const denom = 2 * t + (fp.get(c) ?? 0) + (fn.get(c) ?? 0);
    sum += denom ? (2 * t) / denom : 0;
  }
  return sum / present.size;
}

export function recall(items: Scored[], cls: string): number | undefined {
  const relevant = items.filter((x) => x.gold.includes(cls));
  if (!relevant.length) return undefined;
  return relevant.filter((x) => x.predicted === cls).length / relevant.length;
}

/**
 * Counts[gold][predicted]. With several gold labels the row is the predicted one when it is among them
 * (a correct answer lands on the diagonal), otherwise the first listed gold label.
 */
export function confusionMatrix(items: Scored[], labels: readonly string[]): number[][] {
  const index = new Map(labels.map((l, i) => [l, i]));
  const m = labels.map(() => labels.map(() => 0));
  for (const { predicted, gold } of items) {
    const row = index.get(gold.includes(predicted) ? predicted : (gold[0] ?? ''));
    const col = index.get(predicted);
    if (row !== undefined && col !== undefined) m[row]![col]! += 1;
  }
  return m;
}

export type ReliabilityBin = { lo: number; hi: number; count: number; meanConfidence: number; accuracy: number };

/** Equal-width confidence bins; empty bins keep count 0 and NaN-free zeros. */
export function reliabilityBins(items: Array<{ confidence: number; correct: boolean }>, bins = 10): ReliabilityBin[] {
  const out: ReliabilityBin[] = Array.from({ length: bins }, (_, b) => ({ lo: b / bins, hi: (b + 1) / bins, count: 0, meanConfidence: 0, accuracy: 0 }));
  for (const { confidence, correct } of items) {
    const bin = out[Math.min(bins - 1, Math.max(0, Math.floor(confidence * bins)))]!;
    bin.count++;
    bin.meanConfidence += confidence;
    if (correct) bin.accuracy += 1;
  }
  for (const b of out) {
    if (b.count) {
      b.meanConfidence /= b.count;
      b.accuracy /= b.count;
    }
  }
  return out;
}

/** ECE: Σ (n_b/N)·|accuracy_b − mean confidence_b|. */
export function expectedCalibrationError(bins: ReliabilityBin[]): number | undefined {
  const n = bins.reduce((s, b) => s + b.count, 0);
  if (!n) return undefined;
  return bins.reduce((s, b) => s + (b.count / n) * Math.abs(b.accuracy - b.meanConfidence), 0);
}

export function ratio(num: number, den: number): number | undefined {
  return den ? num / den : undefined;
}

/** Drops undefined entries so metric records never carry NaN. */
export function defined(m: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).filter((e): e is [string, number] => e[1] !== undefined && Number.isFinite(e[1])));
}

export { wordRecallCounts } from '@triage/documents';
