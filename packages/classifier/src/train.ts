// trainModel: cross-validated model selection, temperature calibration and the final fit, per head.
import { ARTIFACT_FORMAT, contentVersion, packFeatures, packFloat32, type HeadArtifact, type ModelArtifact } from './artifact.ts';
import { expectedCalibrationError, fitTemperature, scaledProbabilities } from './calibration.ts';
import { SPECIALTY_CANDIDATES, URGENCY_CANDIDATES } from './candidates.ts';
import { assignFolds, crossValidate, fitHead, type HeadData, type HeadSetting } from './cross-validate.ts';
import { recordsDigest, URGENCIES, type TrainingRecord } from './dataset.ts';
import { parseDoc, type ParsedDoc } from './features.ts';
import { accuracyAtCoverage, classRecall, macroF1, topOneAccuracy } from './metrics.ts';
import { createRng } from './prng.ts';

export type TrainOptions = {
  seed?: number;
  folds?: number;
  /** Override the compared settings (tests use this to stay fast). */
  candidates?: { urgency?: HeadSetting[]; specialty?: HeadSetting[] };
};

const SELECTION = 'highest cross-validated macro-F1; ties keep the earlier (simpler) candidate';
const CALIBRATION =
  'one temperature per head minimising the NLL of the gold label set on out-of-fold logits; ' +
  'eceAfter uses temperatures cross-fitted on the other folds';

type HeadResult = { head: HeadArtifact; metrics: Record<string, number> };

/** Honest "after" probabilities: each fold is scaled by a temperature fitted on the other folds only. */
export function calibrateOutOfFold(oof: Float64Array[], gold: number[][], fold: number[], folds: number): { calibrated: Float64Array[]; temperature: number } {
  const calibrated = new Array<Float64Array>(oof.length);
  for (let f = 0; f < folds; f++) {
    const others = fold.flatMap((g, i) => (g === f ? [] : [i]));
    const t = fitTemperature(
      others.map((i) => oof[i]!),
      others.map((i) => gold[i]!),
    );
    fold.forEach((g, i) => {
      if (g === f) calibrated[i] = scaledProbabilities(oof[i]!, t);
    });
  }
  return { calibrated, temperature: fitTemperature(oof, gold) };
}

export function scoreHead(probs: Float64Array[], data: { gold: number[][]; labels: readonly string[] }, recallOf?: number): Record<string, number> {
  const m: Record<string, number> = {
    top1Accuracy: topOneAccuracy(probs, data.gold),
    macroF1: macroF1(probs, data.gold, data.labels.length),
    accuracyAt50: accuracyAtCoverage(probs, data.gold, 0.5),
  };
  if (recallOf !== undefined) m.recall = classRecall(probs, data.gold, recallOf);
  return m;
}

export function roundAll(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v * 1e4) / 1e4]));
}

function trainHead(data: HeadData, candidates: HeadSetting[], seed: number, folds: number, recallOf?: number): HeadResult {
  const n = data.docs.length;
  if (n < folds) throw new Error(`need at least ${folds} records for ${folds}-fold cross-validation, got ${n}`);
  const fold = assignFolds(data.gold, folds, createRng(seed));

  let best: { setting: HeadSetting; oof: Float64Array[]; score: number } | undefined;
  const comparison: HeadArtifact['comparison'] = [];
  for (const setting of candidates) {
    const oof = crossValidate(data, setting, fold, folds);
    const probs = oof.map((z) => scaledProbabilities(z, 1));
    const metrics: Record<string, number> = {
      ...scoreHead(probs, data, recallOf),
      ece: expectedCalibrationError(probs, data.gold),
    };
    comparison.push({ setting, metrics: roundAll(metrics) });
    if (!best || metrics.macroF1! > best.score) best = { setting, oof, score: metrics.macroF1! };
  }
  if (!best) throw new Error('no candidate settings to compare');
  const { setting: chosen, oof } = best;

  const { calibrated, temperature } = calibrateOutOfFold(oof, data.gold, fold, folds);
  const metrics = roundAll({
    ...scoreHead(calibrated, data, recallOf),
    eceBefore: expectedCalibrationError(
      oof.map((z) => scaledProbabilities(z, 1)),
      data.gold,
    ),
    eceAfter: expectedCalibrationError(calibrated, data.gold),
    records: n,
  });

  const final = fitHead(data, chosen);
  const lr = final.kind === 'lr' ? final : final.base;
  const head: HeadArtifact = {
    labels: [...data.labels],
    setting: chosen,
    features: packFeatures(lr.features),
    weights: { dtype: 'float32-le', shape: [lr.model.F, lr.model.K], data: packFloat32(lr.model.W) },
    bias: Array.from(lr.model.b, (b) => Math.fround(b)),
    temperature: Math.fround(temperature),
    ...(final.kind === 'stacked-gbt' && { booster: final.booster }),
    comparison,
    metrics,
  };
  return { head, metrics };
}

/** Pure: the same records, seed and folds always give a byte-identical artifact. */
export function trainModel(records: TrainingRecord[], options: TrainOptions = {}): ModelArtifact {
  const seed = options.seed ?? 42;
  const folds = options.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`folds must be an integer >= 2, got ${folds}`);

  const parsed = new Map<TrainingRecord, ParsedDoc>();
  const docOf = (r: TrainingRecord) => {
    let d = parsed.get(r);
    if (!d) parsed.set(r, (d = parseDoc(r.text)));
    return d;
  };

  const urgent = records.filter((r) => r.urgency !== undefined);
  const special = records.filter((r) => r.specialties !== undefined);
  if (!urgent.length) throw new Error('no training records carry an urgency label');
  if (!special.length) throw new Error('no training records carry specialties');

  const urgencyData: HeadData = {
    docs: urgent.map(docOf),
    gold: urgent.map((r) => [URGENCIES.indexOf(r.urgency!)]),
    labels: URGENCIES,
  };
  // Plain code-unit sort, not localeCompare, so the label order never depends on the machine's locale.
  const specialties = [...new Set(special.flatMap((r) => r.specialties!))].sort();
  if (specialties.length < 2) throw new Error('specialty head needs at least two distinct specialties');
  const specialtyData: HeadData = {
    docs: special.map(docOf),
    gold: special.map((r) => r.specialties!.map((s) => specialties.indexOf(s))),
    labels: specialties,
  };

  const urgency = trainHead(
    urgencyData,
    options.candidates?.urgency ?? URGENCY_CANDIDATES,
    seed,
    folds,
    URGENCIES.indexOf('emergent'),
  );
  const specialty = trainHead(specialtyData, options.candidates?.specialty ?? SPECIALTY_CANDIDATES, seed + 1, folds);

  const sources: Record<string, number> = {};
  for (const r of records) sources[r.source ?? 'unknown'] = (sources[r.source ?? 'unknown'] ?? 0) + 1;
  const heads = { urgency: urgency.head, specialty: specialty.head };
  return {
    format: ARTIFACT_FORMAT,
    version: contentVersion(heads),
    createdFrom: { sha256: recordsDigest(records), records: records.length, sources },
    training: { seed, folds, selection: SELECTION, calibration: CALIBRATION },
    heads,
    metrics: {
      'specialty.top1Accuracy': specialty.metrics.top1Accuracy!,
      'specialty.macroF1': specialty.metrics.macroF1!,
      'specialty.eceBefore': specialty.metrics.eceBefore!,
      'specialty.eceAfter': specialty.metrics.eceAfter!,
      'urgency.accuracy': urgency.metrics.top1Accuracy!,
      'urgency.macroF1': urgency.metrics.macroF1!,
      'urgency.emergentRecall': urgency.metrics.recall!,
      'urgency.eceBefore': urgency.metrics.eceBefore!,
      'urgency.eceAfter': urgency.metrics.eceAfter!,
    },
  };
}
