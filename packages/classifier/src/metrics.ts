// Top-1 metrics where each item may have several acceptable labels.
import { argmax } from './calibration.ts';

/** A prediction counts when it is any of the item's labels. */
export function topOneAccuracy(probs: ArrayLike<number>[], gold: number[][]): number {
  let hits = 0;
  probs.forEach((p, i) => {
    if ((gold[i] ?? []).includes(argmax(p))) hits++;
  });
  return probs.length ? hits / probs.length : 0;
}

/**
 * Per-class F1 averaged over classes present in the gold sets. For class c: TP = predicted c and c is
 * gold; FP = predicted c and c is not gold; FN = c is gold and the prediction missed every gold label
 * (an item correctly predicted as another of its labels is not a miss). Single-label ⇒ the usual F1.
 */
export function macroF1(probs: ArrayLike<number>[], gold: number[][], classes: number): number {
  const tp = new Array<number>(classes).fill(0);
  const fp = new Array<number>(classes).fill(0);
  const fn = new Array<number>(classes).fill(0);
  const present = new Array<boolean>(classes).fill(false);
  probs.forEach((p, i) => {
    const g = gold[i] ?? [];
    const k = argmax(p);
    for (const c of g) present[c] = true;
    if (g.includes(k)) tp[k]! += 1;
    else {
      fp[k]! += 1;
      for (const c of g) fn[c]! += 1;
    }
  });
  let sum = 0;
  let n = 0;
  for (let c = 0; c < classes; c++) {
    if (!present[c]) continue;
    const denom = 2 * tp[c]! + fp[c]! + fn[c]!;
    sum += denom ? (2 * tp[c]!) / denom : 0;
    n++;
  }
  return n ? sum / n : 0;
}

/** Recall of one class: items whose gold set contains it and whose prediction is it. */
export function classRecall(probs: ArrayLike<number>[], gold: number[][], cls: number): number {
  let total = 0;
  let hit = 0;
  probs.forEach((p, i) => {
    if (!(gold[i] ?? []).includes(cls)) return;
    total++;
    if (argmax(p) === cls) hit++;
  });
  return total ? hit / total : 0;
}

/** Accuracy on the `coverage` share of items with the highest top-1 probability (what auto-routing keeps). */
export function accuracyAtCoverage(probs: ArrayLike<number>[], gold: number[][], coverage: number): number {
  const items = probs.map((p, i) => ({ c: p[argmax(p)] ?? 0, ok: (gold[i] ?? []).includes(argmax(p)), i }));
  items.sort((a, b) => b.c - a.c || a.i - b.i);
  const kept = items.slice(0, Math.max(1, Math.round(items.length * coverage)));
  return kept.filter((x) => x.ok).length / kept.length;
}
