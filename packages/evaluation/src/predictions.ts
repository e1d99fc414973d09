// Predictions to evaluate: the shipped model as is, or out-of-fold predictions from K retrained models.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createRng,
  DEFAULT_MODEL_PATH,
  isEmbeddingArtifact,
  loadModel,
  modelFromArtifact,
  parseArtifact,
  trainModel,
  type TrainingRecord,
  type TrainOptions,
} from '@triage/classifier';
import type { TriagePrediction } from '@triage/routing';
import { predictWithEmbeddingModel } from './embedding-predictions.ts';

export type PredictOptions = {
  modelPath?: string;
  /** When set (≥ 2), K-fold cross-validated predictions instead of the shipped model. */
  folds?: number;
  seed?: number;
  /** Inner folds trainModel uses for temperature calibration inside each outer training split. */
  innerFolds?: number;
  onProgress?: (message: string) => void;
  /**
   * More texts to classify, each belonging to a record (its document renderings): under cross-validation the
   * fold model that did not see the record classifies them too.
   */
  extraTexts?: ReadonlyArray<{ of: number; text: string }>;
};

export type PredictionRun = {
  predictions: TriagePrediction[];
  /** One per `extraTexts` entry, in its order. */
  extraPredictions: TriagePrediction[];
  mode: 'shipped' | 'cross-validated';
  description: string;
};

function strip(p: TriagePrediction): TriagePrediction {
  return { urgency: p.urgency, specialty: p.specialty };
}

/** Stratified by source and label: shuffle, stable-sort by stratum, deal round-robin. */
export function assignFolds(records: TrainingRecord[], folds: number, seed: number): number[] {
  const random = createRng(seed);
  const order = records.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const stratum = (r: TrainingRecord) => `${r.source ?? ''}|${r.urgency ?? ''}|${r.specialties?.[0] ?? ''}`;
  order.sort((a, b) => (stratum(records[a]!) < stratum(records[b]!) ? -1 : stratum(records[a]!) > stratum(records[b]!) ? 1 : 0));
  const fold = new Array<number>(records.length).fill(0);
  order.forEach((i, n) => {
    fold[i] = n % folds;
  });
  return fold;
}

export async function predictRecords(records: TrainingRecord[], opts: PredictOptions = {}): Promise<PredictionRun> {
  const modelPath = resolve(opts.modelPath ?? DEFAULT_MODEL_PATH);
  const json = readFileSync(modelPath, 'utf8');
  if (isEmbeddingArtifact(JSON.parse(json))) return predictWithEmbeddingModel(records, json, modelPath, opts);
  if (opts.folds === undefined) {
    const model = loadModel(modelPath);
    return {
      predictions: records.map((r) => strip(model.predict(r.text))),
      extraPredictions: (opts.extraTexts ?? []).map((e) => strip(model.predict(e.text))),
      mode: 'shipped',
      description:
        `shipped model ${model.version} (${modelPath}) applied to the evaluation data. If that data overlaps its ` +
        'training data, these numbers OVERSTATE real quality.',
    };
  }
  const folds = opts.folds;
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`folds must be an integer >= 2, got ${folds}`);
  const seed = opts.seed ?? 42;
  const innerFolds = opts.innerFolds ?? 3;
  // Re-fit the shipped model's chosen settings rather than re-running model selection K times: K× cheaper,
  // and it is the configuration that ships. Selection itself is therefore not inside the CV loop.
  const shipped = parseArtifact(json, modelPath);
  const candidates: NonNullable<TrainOptions['candidates']> = {
    urgency: [shipped.heads.urgency.setting],
    specialty: [shipped.heads.specialty.setting],
  };
  const fold = assignFolds(records, folds, seed);
  const out = new Array<TriagePrediction>(records.length);
  const extras = opts.extraTexts ?? [];
  const extraOut = new Array<TriagePrediction>(extras.length);
  for (let f = 0; f < folds; f++) {
    const started = Date.now();
    const train = records.filter((_, i) => fold[i] !== f);
    const model = modelFromArtifact(trainModel(train, { seed, folds: innerFolds, candidates }));
    records.forEach((r, i) => {
      if (fold[i] === f) out[i] = strip(model.predict(r.text));
    });
    extras.forEach((e, k) => {
      if (fold[e.of] === f) extraOut[k] = strip(model.predict(e.text));
    });
    opts.onProgress?.(`fold ${f + 1}/${folds}: trained on ${train.length} records in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Let the event loop breathe between folds (progress output, signals).
    await new Promise((r) => setImmediate(r));
  }
  return {
    predictions: out,
    extraPredictions: extraOut,
    mode: 'cross-validated',
    description:
      `${folds}-fold cross-validated out-of-fold predictions (seed ${seed}): each record is predicted by a model ` +
      `trained without it, re-fitting the shipped settings (urgency "${shipped.heads.urgency.setting.name}", ` +
      `specialty "${shipped.heads.specialty.setting.name}") with temperatures from ${innerFolds}-fold inner CV. ` +
      'Model selection was not repeated inside the folds.',
  };
}
