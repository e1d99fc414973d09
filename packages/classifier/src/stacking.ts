// Stacked urgency head: gradient-boosted trees over the raw vitals and the out-of-fold text score of a
// logistic-regression base model. Trees can learn thresholds and interactions ("HR > 120 and low SpO2")
// that the linear model only approximates with z and z².
import { boosterLogits, fitBooster, type Booster, type BoostParams } from './boosting.ts';
import type { ParsedDoc } from './features.ts';
import { assignFolds, foldRows } from './folds.ts';
import { softmaxInPlace } from './logistic-regression.ts';
import { fitLrHead, lrHeadLogits, softTargets, type FittedLr, type HeadData, type LrSetting } from './lr-head.ts';
import { CONTINUOUS, MENTAL, PRIORITY, type Span, type Vitals } from './numeric.ts';
import { createRng } from './prng.ts';

export type StackedSetting = {
  kind: 'stacked-gbt';
  name: string;
  base: LrSetting;
  /** Inner folds that produce the base model's out-of-fold scores the trees are trained on. */
  innerFolds: number;
  innerSeed: number;
  trees: BoostParams;
};
export type FittedStacked = { base: FittedLr; booster: Booster };

/** Missing readings sort below every real value (all are ≥ 0), so a tree can route "absent" on its own. */
const MISSING = -1;

export const META_FEATURES = [...CONTINUOUS, 'mental', 'ambulance', 'priority'] as const;

/** Meta row: raw vitals (+ their source spans, for evidence), then the base model's K probabilities. */
export function metaFeatures(v: Vitals, baseLogits: ArrayLike<number>): { x: number[]; spans: (Span | undefined)[] } {
  const x: number[] = [];
  const spans: (Span | undefined)[] = [];
  for (const c of CONTINUOUS) {
    const r = v.readings[c];
    x.push(r ? r.value : MISSING);
    spans.push(r);
  }
  x.push(v.mental ? MENTAL.indexOf(v.mental.value) : MISSING, v.ambulance ? v.ambulance.value : MISSING);
  x.push(v.priority ? PRIORITY.indexOf(v.priority.value) : MISSING);
  spans.push(v.mental, v.ambulance, v.priority);
  const p = Float64Array.from(baseLogits);
  softmaxInPlace(p);
  x.push(...p);
  return { x, spans };
}

export function fitStacked(data: HeadData, setting: StackedSetting, rows?: number[]): FittedStacked {
  const idx = rows ?? data.docs.map((_, i) => i);
  const sub: HeadData = { docs: idx.map((i) => data.docs[i]!), gold: idx.map((i) => data.gold[i]!), labels: data.labels };
  // The trees must see text scores like those at prediction time, i.e. from a model that never saw the row.
  const fold = assignFolds(sub.gold, setting.innerFolds, createRng(setting.innerSeed));
  const oof = new Array<Float64Array>(idx.length);
  for (let f = 0; f < setting.innerFolds; f++) {
    const { train, test } = foldRows(fold, f);
    if (!test.length) continue;
    const lr = fitLrHead(sub, setting.base, train);
    const logits = lrHeadLogits(lr, test.map((i) => sub.docs[i]!));
    test.forEach((i, r) => {
      oof[i] = logits[r]!;
    });
  }
  const meta = sub.docs.map((d, i) => metaFeatures(d.vitals, oof[i]!).x);
  const booster = fitBooster(meta, softTargets(sub, sub.docs.map((_, i) => i)), data.labels.length, setting.trees);
  return { base: fitLrHead(sub, setting.base), booster };
}

export function stackedLogits(head: FittedStacked, docs: ParsedDoc[]): Float64Array[] {
  const base = lrHeadLogits(head.base, docs);
  return docs.map((d, i) => boosterLogits(head.booster, metaFeatures(d.vitals, base[i]!).x));
}

/**
 * Evidence for the trees: each parsed vital, occluded (set to missing), and how much the predicted
 * label's probability drops. Positive = that reading pushed towards the prediction.
 */
export function occlusionEvidence(
  booster: Booster,
  meta: { x: number[]; spans: (Span | undefined)[] },
  pred: number,
  temperature: number,
): { span: Span; weight: number }[] {
  const prob = (x: number[]) => {
    const z = boosterLogits(booster, x).map((v) => v / temperature);
    softmaxInPlace(z);
    return z[pred]!;
  };
  const full = prob(meta.x);
  const out: { span: Span; weight: number }[] = [];
  meta.spans.forEach((span, i) => {
    if (!span) return;
    const x = [...meta.x];
    x[i] = MISSING;
    out.push({ span, weight: full - prob(x) });
  });
  return out;
}
