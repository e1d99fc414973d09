// Loading the shipped artifact and predicting.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Booster } from './boosting.ts';
import { boosterLogits } from './boosting.ts';
import { META_FEATURES, metaFeatures, occlusionEvidence } from './stacking.ts';
import { artifactSchema, unpackFeatures, unpackFloat32, type HeadArtifact, type ModelArtifact } from './artifact.ts';
import { argmax } from './calibration.ts';
import { URGENCIES, type Urgency } from './dataset.ts';
import { headEvidence, type RuntimeHead } from './evidence.ts';
import { parseDoc, type ParsedDoc } from './features.ts';
import { createFeaturizer } from './featurizer.ts';
import { softmaxInPlace } from './logistic-regression.ts';
import type { Evidence, HeadPrediction, TriageModel } from './types.ts';

/** <repo>/models/triage-model.json, found from this file so it works from any working directory. */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../../models/triage-model.json', import.meta.url));

type Head = RuntimeHead & { booster?: Booster };

function runtimeHead(name: Evidence['head'], head: HeadArtifact): Head {
  const featurizer = createFeaturizer(unpackFeatures(head));
  const [F, K] = head.weights.shape;
  if (F !== featurizer.size || K !== head.labels.length || head.bias.length !== K) {
    throw new Error(`${name} head: weights ${F}×${K} do not match ${featurizer.size} features × ${head.labels.length} labels`);
  }
  return {
    name,
    labels: head.labels,
    featurizer,
    W: unpackFloat32(head.weights.data, F * K),
    b: Float64Array.from(head.bias),
    temperature: head.temperature,
    ...(head.booster && { booster: checkedBooster(name, head.booster, K) }),
  };
}

function checkedBooster(name: string, b: Booster, K: number): Booster {
  if (b.K !== K || b.base.length !== K || b.trees.length % K !== 0 || b.features !== META_FEATURES.length + K) throw new Error(`${name} head: booster shape does not match ${K} labels`);
  return b;
}

/** Stacked heads: the trees decide; text evidence comes from the base model, vitals evidence from occlusion. */
function stackedResult(head: Head & { booster: Booster }, doc: ParsedDoc, lrLogits: Float64Array, row: ReturnType<Head['featurizer']['vectorize']>) {
  const meta = metaFeatures(doc.vitals, lrLogits);
  const z = boosterLogits(head.booster, meta.x);
  for (let k = 0; k < z.length; k++) z[k] = z[k]! / head.temperature;
  softmaxInPlace(z);
  const pred = argmax(z);
  const vitals = occlusionEvidence(head.booster, meta, pred, head.temperature).filter((e) => e.weight > 0);
  const taken = new Set(vitals.map((e) => `${e.span.start}:${e.span.end}`));
  const text = headEvidence(head, doc, row, pred).filter((e) => !taken.has(`${e.start}:${e.end}`));
  const weight = (w: number) => Number(w.toPrecision(4));
  const evidence: Evidence[] = [
    ...vitals.map((e) => ({ head: head.name, term: doc.text.slice(e.span.start, e.span.end), start: e.span.start, end: e.span.end, weight: weight(e.weight) })),
    ...text,
  ];
  return { z, pred, evidence };
}

function runHead(head: Head, doc: ParsedDoc): { prediction: HeadPrediction<string>; evidence: Evidence[] } {
  const row = head.featurizer.vectorize(doc);
  const K = head.labels.length;
  const z = Float64Array.from(head.b);
  for (let q = 0; q < row.idx.length; q++) {
    const base = row.idx[q]! * K;
    const v = row.val[q]!;
    for (let k = 0; k < K; k++) z[k] = z[k]! + v * head.W[base + k]!;
  }
  const stacked = head.booster ? stackedResult({ ...head, booster: head.booster }, doc, z, row) : undefined;
  if (!stacked) {
    for (let k = 0; k < K; k++) z[k] = z[k]! / head.temperature;
    softmaxInPlace(z);
  }
  const probs = stacked?.z ?? z;
  const pred = stacked?.pred ?? argmax(z);
  const probabilities: Record<string, number> = {};
  head.labels.forEach((l, k) => {
    probabilities[l] = probs[k]!;
  });
  return {
    prediction: { label: head.labels[pred]!, confidence: probs[pred]!, probabilities },
    evidence: stacked?.evidence ?? headEvidence(head, doc, row, pred),
  };
}

export function modelFromArtifact(artifact: ModelArtifact): TriageModel {
  const urgencyLabels = artifact.heads.urgency.labels;
  if (urgencyLabels.length !== URGENCIES.length || !URGENCIES.every((u) => urgencyLabels.includes(u))) {
    throw new Error(`urgency head labels must be ${URGENCIES.join(', ')}; got ${urgencyLabels.join(', ')}`);
  }
  const urgency = runtimeHead('urgency', artifact.heads.urgency);
  const specialty = runtimeHead('specialty', artifact.heads.specialty);
  const version = artifact.version;
  return {
    version,
    specialties: Object.freeze([...artifact.heads.specialty.labels]),
    predict(text: string) {
      const doc = parseDoc(text);
      const u = runHead(urgency, doc);
      const s = runHead(specialty, doc);
      return {
        urgency: u.prediction as HeadPrediction<Urgency>,
        specialty: s.prediction,
        evidence: [...u.evidence, ...s.evidence],
        modelVersion: version,
      };
    },
  };
}

export function parseArtifact(json: string, source = 'model artifact'): ModelArtifact {
  const result = artifactSchema.safeParse(JSON.parse(json));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${source} is not a valid triage model: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return result.data;
}

const cache = new Map<string, TriageModel>();

/** Loads (once per path) and validates a model artifact. */
export function loadModel(path: string = DEFAULT_MODEL_PATH): TriageModel {
  const abs = resolve(path);
  let model = cache.get(abs);
  if (!model) {
    model = modelFromArtifact(parseArtifact(readFileSync(abs, 'utf8'), abs));
    cache.set(abs, model);
  }
  return model;
}
