// Loading the shipped artifact and predicting.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

function runtimeHead(name: Evidence['head'], head: HeadArtifact): RuntimeHead {
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
  };
}

function runHead(head: RuntimeHead, doc: ParsedDoc): { prediction: HeadPrediction<string>; evidence: Evidence[] } {
  const row = head.featurizer.vectorize(doc);
  const K = head.labels.length;
  const z = Float64Array.from(head.b);
  for (let q = 0; q < row.idx.length; q++) {
    const base = row.idx[q]! * K;
    const v = row.val[q]!;
    for (let k = 0; k < K; k++) z[k] = z[k]! + v * head.W[base + k]!;
  }
  for (let k = 0; k < K; k++) z[k] = z[k]! / head.temperature;
  softmaxInPlace(z);
  const pred = argmax(z);
  const probabilities: Record<string, number> = {};
  head.labels.forEach((l, k) => {
    probabilities[l] = z[k]!;
  });
  return {
    prediction: { label: head.labels[pred]!, confidence: z[pred]!, probabilities },
    evidence: headEvidence(head, doc, row, pred),
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
