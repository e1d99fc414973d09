// Trains the embedding classifier: embed every record once, then per head compare L2 strengths by CV,
// calibrate a temperature on out-of-fold logits and fit the final softmax on all records.
import { packFloat32 } from './artifact.ts';
import { expectedCalibrationError, scaledProbabilities } from './calibration.ts';
import { pooled, sentenceChunks } from './chunks.ts';
import { recordsDigest, URGENCIES, type TrainingRecord } from './dataset.ts';
import type { Embedder } from './embedder.ts';
import {
  EMBEDDING_ARTIFACT_FORMAT,
  embeddingVersion,
  type DenseHeadArtifact,
  type DenseSetting,
  type EmbeddingArtifact,
} from './embedding-artifact.ts';
import { assignFolds, foldRows } from './folds.ts';
import { fitSoftmax, predictLogits, toCsr, type Csr } from './logistic-regression.ts';
import { createRng } from './prng.ts';
import { calibrateOutOfFold, roundAll, scoreHead } from './train.ts';

export type EmbeddingTrainOptions = {
  seed?: number;
  folds?: number;
  /** The folder as it should be recorded (e.g. relative to the repo root). */
  embedderDir: string;
  candidates?: { urgency?: DenseSetting[]; specialty?: DenseSetting[] };
  onProgress?: (message: string) => void;
};

export const DENSE_URGENCY: DenseSetting[] = [
  { name: 'emb-l2-1e-2', lambda: 1e-2, target: 'soft' },
  { name: 'emb-l2-1e-3', lambda: 1e-3, target: 'soft' },
  { name: 'emb-l2-1e-4', lambda: 1e-4, target: 'soft' },
];
export const DENSE_SPECIALTY: DenseSetting[] = [
  { name: 'emb-rarest-l2-1e-3', lambda: 1e-3, target: 'rarest' },
  { name: 'emb-rarest-l2-1e-4', lambda: 1e-4, target: 'rarest' },
];

/** One embedding per document: the normalised mean of its sentence-chunk embeddings. */
export async function embedDocuments(embedder: Embedder, texts: string[]): Promise<Float64Array[]> {
  const chunks = texts.map((t) => sentenceChunks(t));
  const flat = chunks.flatMap((c, i) => (c.length ? c.map((x) => x.text) : [texts[i] ?? '']));
  const vectors = await embedder.embed(flat);
  let p = 0;
  return chunks.map((c) => {
    const n = Math.max(1, c.length);
    const v = pooled(vectors.slice(p, p + n), embedder.dim);
    p += n;
    return v;
  });
}

function denseCsr(rows: Float64Array[], dim: number): Csr {
  return toCsr(
    rows.map((r) => ({ idx: Array.from({ length: dim }, (_, d) => d), val: Array.from(r) })),
    dim,
  );
}

type Dense = { X: Float64Array[]; gold: number[][]; labels: readonly string[]; dim: number };

function fitDense(data: Dense, s: DenseSetting, rows: number[]) {
  const K = data.labels.length;
  const freq = new Array<number>(K).fill(0);
  for (const i of rows) for (const k of data.gold[i]!) freq[k]! += 1;
  const targets = new Float64Array(rows.length * K);
  rows.forEach((i, r) => {
    const g = data.gold[i]!;
    if (s.target === 'rarest') targets[r * K + [...g].sort((a, b) => freq[a]! - freq[b]! || a - b)[0]!] = 1;
    else for (const k of g) targets[r * K + k] = 1 / g.length;
  });
  const X = denseCsr(rows.map((i) => data.X[i]!), data.dim);
  return fitSoftmax(X, targets, new Float64Array(rows.length).fill(1), K, { lambda: s.lambda, maxIter: 200 });
}

function trainDenseHead(data: Dense, candidates: DenseSetting[], seed: number, folds: number, recallOf?: number): DenseHeadArtifact {
  const n = data.X.length;
  if (n < folds) throw new Error(`need at least ${folds} records for ${folds}-fold cross-validation, got ${n}`);
  const fold = assignFolds(data.gold, folds, createRng(seed));
  const comparison: DenseHeadArtifact['comparison'] = [];
  let best: { setting: DenseSetting; oof: Float64Array[]; score: number } | undefined;
  for (const setting of candidates) {
    const oof = new Array<Float64Array>(n);
    for (let f = 0; f < folds; f++) {
      const { train, test } = foldRows(fold, f);
      if (!test.length) continue;
      const logits = predictLogits(fitDense(data, setting, train), denseCsr(test.map((i) => data.X[i]!), data.dim));
      test.forEach((i, r) => (oof[i] = logits[r]!));
    }
    const probs = oof.map((z) => scaledProbabilities(z, 1));
    const metrics: Record<string, number> = { ...scoreHead(probs, data, recallOf), ece: expectedCalibrationError(probs, data.gold) };
    comparison.push({ setting, metrics: roundAll(metrics) });
    if (!best || metrics.macroF1! > best.score) best = { setting, oof, score: metrics.macroF1! };
  }
  if (!best) throw new Error('no candidate settings to compare');
  const { calibrated, temperature } = calibrateOutOfFold(best.oof, data.gold, fold, folds);
  const final = fitDense(data, best.setting, data.X.map((_, i) => i));
  return {
    labels: [...data.labels],
    setting: best.setting,
    weights: { dtype: 'float32-le', shape: [final.F, final.K], data: packFloat32(final.W) },
    bias: Array.from(final.b, (b) => Math.fround(b)),
    temperature: Math.fround(temperature),
    comparison,
    metrics: roundAll({
      ...scoreHead(calibrated, data, recallOf),
      eceBefore: expectedCalibrationError(best.oof.map((z) => scaledProbabilities(z, 1)), data.gold),
      eceAfter: expectedCalibrationError(calibrated, data.gold),
      records: n,
    }),
  };
}

/** Deterministic given the records, seed and embedder (ONNX on CPU gives the same vectors run to run). */
export async function trainEmbeddingModel(records: TrainingRecord[], embedder: Embedder, opts: EmbeddingTrainOptions): Promise<EmbeddingArtifact> {
  const started = Date.now();
  const vectors = await embedDocuments(embedder, records.map((r) => r.text));
  opts.onProgress?.(`embedded ${records.length} records in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const info: EmbeddingArtifact['embedder'] = { id: embedder.id, dir: opts.embedderDir, dim: embedder.dim, pooling: 'mean-of-sentence-chunks', normalize: true };
  return trainEmbeddingHeads(records, vectors, info, opts);
}

/** The heads alone, on document vectors already computed (cross-validated evaluation embeds once). */
export function trainEmbeddingHeads(
  records: TrainingRecord[],
  vectors: Float64Array[],
  embedderInfo: EmbeddingArtifact['embedder'],
  opts: Omit<EmbeddingTrainOptions, 'embedderDir' | 'onProgress'>,
): EmbeddingArtifact {
  const seed = opts.seed ?? 42;
  const folds = opts.folds ?? 5;
  const urgent = records.filter((r) => r.urgency !== undefined);
  const special = records.filter((r) => r.specialties !== undefined);
  if (!urgent.length) throw new Error('no training records carry an urgency label');
  if (!special.length) throw new Error('no training records carry specialties');
  const specialties = [...new Set(special.flatMap((r) => r.specialties!))].sort();
  if (specialties.length < 2) throw new Error('specialty head needs at least two distinct specialties');

  const dim = embedderInfo.dim;
  const vecOf = new Map(records.map((r, i) => [r, vectors[i]!]));
  const urgency = trainDenseHead(
    { X: urgent.map((r) => vecOf.get(r)!), gold: urgent.map((r) => [URGENCIES.indexOf(r.urgency!)]), labels: URGENCIES, dim },
    opts.candidates?.urgency ?? DENSE_URGENCY,
    seed,
    folds,
    URGENCIES.indexOf('emergent'),
  );
  const specialty = trainDenseHead(
    { X: special.map((r) => vecOf.get(r)!), gold: special.map((r) => r.specialties!.map((s) => specialties.indexOf(s))), labels: specialties, dim },
    opts.candidates?.specialty ?? DENSE_SPECIALTY,
    seed + 1,
    folds,
  );
  const sources: Record<string, number> = {};
  for (const r of records) sources[r.source ?? 'unknown'] = (sources[r.source ?? 'unknown'] ?? 0) + 1;
  const heads = { urgency, specialty };
  return {
    format: EMBEDDING_ARTIFACT_FORMAT,
    version: embeddingVersion(embedderInfo, heads),
    embedder: embedderInfo,
    createdFrom: { sha256: recordsDigest(records), records: records.length, sources },
    training: {
      seed,
      folds,
      selection: 'highest cross-validated macro-F1 over L2 strengths; ties keep the earlier candidate',
      calibration: 'one temperature per head on out-of-fold logits; eceAfter cross-fitted on the other folds',
    },
    heads,
    metrics: {
      'specialty.top1Accuracy': specialty.metrics.top1Accuracy!,
      'specialty.macroF1': specialty.metrics.macroF1!,
      'specialty.eceAfter': specialty.metrics.eceAfter!,
      'urgency.accuracy': urgency.metrics.top1Accuracy!,
      'urgency.macroF1': urgency.metrics.macroF1!,
      'urgency.emergentRecall': urgency.metrics.recall!,
      'urgency.eceAfter': urgency.metrics.eceAfter!,
    },
  };
}
