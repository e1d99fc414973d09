// Predictions of an embedding-head artifact: as shipped, or K-fold cross-validated (records embedded once,
// heads refitted per fold with the shipped settings).
import {
  createEmbedder,
  embedDocuments,
  embedderDirFromArtifact,
  loadEmbeddingModel,
  parseEmbeddingArtifact,
  trainEmbeddingHeads,
  vectorPredictor,
  type TrainingRecord,
} from '@triage/classifier';
import type { TriagePrediction } from '@triage/routing';
import { assignFolds, type PredictionRun, type PredictOptions } from './predictions.ts';

export async function predictWithEmbeddingModel(records: TrainingRecord[], json: string, modelPath: string, opts: PredictOptions): Promise<PredictionRun> {
  const artifact = parseEmbeddingArtifact(json, modelPath);
  if (opts.folds === undefined) {
    const model = loadEmbeddingModel(modelPath);
    const predictions: TriagePrediction[] = [];
    for (const r of records) {
      const p = await model.predict(r.text);
      predictions.push({ urgency: p.urgency, specialty: p.specialty });
    }
    const extraPredictions: TriagePrediction[] = [];
    for (const e of opts.extraTexts ?? []) {
      const p = await model.predict(e.text);
      extraPredictions.push({ urgency: p.urgency, specialty: p.specialty });
    }
    return {
      predictions,
      extraPredictions,
      mode: 'shipped',
      description: `shipped embedding model ${artifact.version} (${modelPath}). If the data overlaps its training data, these numbers OVERSTATE real quality.`,
    };
  }
  const folds = opts.folds;
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`folds must be an integer >= 2, got ${folds}`);
  const seed = opts.seed ?? 42;
  const innerFolds = opts.innerFolds ?? 3;
  const embedder = await createEmbedder({ modelDir: embedderDirFromArtifact(artifact.embedder.dir) });
  const vectors = await embedDocuments(embedder, records.map((r) => r.text));
  const extras = opts.extraTexts ?? [];
  const extraVectors = await embedDocuments(embedder, extras.map((e) => e.text));
  const extraOut = new Array<TriagePrediction>(extras.length);
  const candidates = { urgency: [artifact.heads.urgency.setting], specialty: [artifact.heads.specialty.setting] };
  const fold = assignFolds(records, folds, seed);
  const out = new Array<TriagePrediction>(records.length);
  for (let f = 0; f < folds; f++) {
    const train = records.flatMap((_, i) => (fold[i] !== f ? [i] : []));
    const heads = trainEmbeddingHeads(train.map((i) => records[i]!), train.map((i) => vectors[i]!), artifact.embedder, { seed, folds: innerFolds, candidates });
    const predict = vectorPredictor(heads);
    records.forEach((_, i) => {
      if (fold[i] === f) out[i] = predict(vectors[i]!);
    });
    extras.forEach((e, k) => {
      if (fold[e.of] === f) extraOut[k] = predict(extraVectors[k]!);
    });
    opts.onProgress?.(`fold ${f + 1}/${folds}: embedding heads trained on ${train.length} records`);
  }
  return {
    predictions: out,
    extraPredictions: extraOut,
    mode: 'cross-validated',
    description: `${folds}-fold cross-validated predictions of embedding model ${artifact.version}'s settings (seed ${seed}): records embedded once with ${artifact.embedder.id}, heads refitted per fold with temperatures from ${innerFolds}-fold inner CV.`,
  };
}
