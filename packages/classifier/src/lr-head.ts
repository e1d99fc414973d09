// One logistic-regression head: featurize, build soft targets, fit; the base model of every head.
import type { ParsedDoc } from './features.ts';
import { createFeaturizer, fitFeaturizer, type FeatureConfig, type FeaturizerState } from './featurizer.ts';
import { fitSoftmax, predictLogits, toCsr, type SoftmaxModel } from './logistic-regression.ts';

/** A head's labelled examples: gold is the set of acceptable label indices per doc. */
export type HeadData = { docs: ParsedDoc[]; gold: number[][]; labels: readonly string[] };

/**
 * How a multi-label doc becomes a softmax target:
 * soft: its label set as a uniform target with total weight 1;
 * duplicate: one copy per label (equivalently, the soft target weighted by the set size);
 * rarest: only its least frequent label (in the training split), i.e. the most specific one.
 */
export type LrSetting = {
  name: string;
  features: FeatureConfig;
  lambda: number;
  target: 'soft' | 'duplicate' | 'rarest';
  maxIter: number;
};
export type FittedLr = { features: FeaturizerState; model: SoftmaxModel };

/** rows×K soft targets (a label set shares weight 1) for the given rows, as in the "soft" setting. */
export function softTargets(data: HeadData, idx: number[]): Float64Array {
  const K = data.labels.length;
  const targets = new Float64Array(idx.length * K);
  idx.forEach((i, r) => {
    const g = data.gold[i]!;
    for (const k of g) targets[r * K + k] = 1 / g.length;
  });
  return targets;
}

export function fitLrHead(data: HeadData, setting: LrSetting, rows?: number[]): FittedLr {
  const idx = rows ?? data.docs.map((_, i) => i);
  const docs = idx.map((i) => data.docs[i]!);
  const features = fitFeaturizer(docs, setting.features);
  const f = createFeaturizer(features);
  const X = toCsr(docs.map(f.vectorize), f.size);
  const K = data.labels.length;
  const targets = softTargets(data, idx);
  const weights = new Float64Array(idx.length);
  const freq = new Array<number>(K).fill(0);
  for (const i of idx) for (const k of data.gold[i]!) freq[k]! += 1;
  idx.forEach((i, r) => {
    const g = data.gold[i]!;
    if (setting.target === 'rarest') {
      const k = [...g].sort((a, b) => freq[a]! - freq[b]! || a - b)[0]!;
      for (let c = 0; c < K; c++) targets[r * K + c] = c === k ? 1 : 0;
    }
    weights[r] = setting.target === 'duplicate' ? g.length : 1;
  });
  return { features, model: fitSoftmax(X, targets, weights, K, { lambda: setting.lambda, maxIter: setting.maxIter }) };
}

export function lrHeadLogits(head: FittedLr, docs: ParsedDoc[]): Float64Array[] {
  const f = createFeaturizer(head.features);
  return predictLogits(head.model, toCsr(docs.map(f.vectorize), f.size));
}
