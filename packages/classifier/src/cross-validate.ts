// Fitting one head and k-fold cross-validation, shared by model selection and calibration.
import type { ParsedDoc } from './features.ts';
import { createFeaturizer, fitFeaturizer, type FeatureConfig, type FeaturizerState } from './featurizer.ts';
import { fitSoftmax, predictLogits, toCsr, type SoftmaxModel } from './logistic-regression.ts';
import { shuffleInPlace, type Rng } from './prng.ts';

/** A head's labelled examples: gold is the set of acceptable label indices per doc. */
export type HeadData = { docs: ParsedDoc[]; gold: number[][]; labels: readonly string[] };

/**
 * How a multi-label doc becomes a softmax target:
 * soft: its label set as a uniform target with total weight 1;
 * duplicate: one copy per label (equivalently, the soft target weighted by the set size);
 * rarest: only its least frequent label (in the training split), i.e. the most specific one.
 */
export type HeadSetting = {
  name: string;
  features: FeatureConfig;
  lambda: number;
  target: 'soft' | 'duplicate' | 'rarest';
  maxIter: number;
};
export type FittedHead = { features: FeaturizerState; model: SoftmaxModel };

export function fitHead(data: HeadData, setting: HeadSetting, rows?: number[]): FittedHead {
  const idx = rows ?? data.docs.map((_, i) => i);
  const docs = idx.map((i) => data.docs[i]!);
  const features = fitFeaturizer(docs, setting.features);
  const f = createFeaturizer(features);
  const X = toCsr(docs.map(f.vectorize), f.size);
  const K = data.labels.length;
  const targets = new Float64Array(idx.length * K);
  const weights = new Float64Array(idx.length);
  const freq = new Array<number>(K).fill(0);
  for (const i of idx) for (const k of data.gold[i]!) freq[k]! += 1;
  idx.forEach((i, r) => {
    const g = data.gold[i]!;
    if (setting.target === 'rarest') {
      const k = [...g].sort((a, b) => freq[a]! - freq[b]! || a - b)[0]!;
      targets[r * K + k] = 1;
    } else for (const k of g) targets[r * K + k] = 1 / g.length;
    weights[r] = setting.target === 'duplicate' ? g.length : 1;
  });
  return { features, model: fitSoftmax(X, targets, weights, K, { lambda: setting.lambda, maxIter: setting.maxIter }) };
}

export function headLogits(head: FittedHead, docs: ParsedDoc[]): Float64Array[] {
  const f = createFeaturizer(head.features);
  return predictLogits(head.model, toCsr(docs.map(f.vectorize), f.size));
}

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

/** Out-of-fold logits for every doc: each fold's model (vocabulary included) never sees its own fold. */
export function crossValidate(data: HeadData, setting: HeadSetting, fold: number[], folds: number): Float64Array[] {
  const out = new Array<Float64Array>(data.docs.length);
  for (let f = 0; f < folds; f++) {
    const train = fold.flatMap((g, i) => (g === f ? [] : [i]));
    const test = fold.flatMap((g, i) => (g === f ? [i] : []));
    if (!test.length) continue;
    const head = fitHead(data, setting, train);
    const logits = headLogits(
      head,
      test.map((i) => data.docs[i]!),
    );
    test.forEach((i, r) => {
      out[i] = logits[r]!;
    });
  }
  return out;
}
