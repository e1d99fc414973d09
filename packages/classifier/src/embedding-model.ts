// The embedding classifier at run time: sentence chunks → local embedder → pooled vector → calibrated heads.
// Evidence is leave-one-chunk-out occlusion: how much the predicted label's probability drops without a chunk.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unpackFloat32 } from './artifact.ts';
import { argmax } from './calibration.ts';
import { pooled, sentenceChunks, type Chunk } from './chunks.ts';
import { URGENCIES, type Urgency } from './dataset.ts';
import { createEmbedder, type Embedder } from './embedder.ts';
import { embeddingArtifactSchema, type DenseHeadArtifact, type EmbeddingArtifact } from './embedding-artifact.ts';
import { softmaxInPlace } from './logistic-regression.ts';
import type { AsyncTriageModel, Evidence, HeadPrediction, Prediction } from './types.ts';

export const EVIDENCE_CHUNKS = 3;
/** Artifacts record the embedder folder relative to the repository root, so they work from any cwd. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function embedderDirFromArtifact(dir: string): string {
  return isAbsolute(dir) ? dir : resolve(REPO_ROOT, dir);
}

type DenseHead = { name: Evidence['head']; labels: readonly string[]; W: Float32Array; b: number[]; temperature: number; dim: number };

function denseHead(name: Evidence['head'], h: DenseHeadArtifact, dim: number): DenseHead {
  const [D, K] = h.weights.shape;
  if (D !== dim || K !== h.labels.length || h.bias.length !== K) throw new Error(`${name} head: weights ${D}×${K} do not match ${dim} dims × ${h.labels.length} labels`);
  return { name, labels: h.labels, W: unpackFloat32(h.weights.data, D * K), b: h.bias, temperature: h.temperature, dim };
}

function probabilities(head: DenseHead, v: Float64Array): Float64Array {
  const K = head.labels.length;
  const z = Float64Array.from(head.b);
  for (let d = 0; d < head.dim; d++) for (let k = 0; k < K; k++) z[k] = z[k]! + v[d]! * head.W[d * K + k]!;
  for (let k = 0; k < K; k++) z[k] = z[k]! / head.temperature;
  softmaxInPlace(z);
  return z;
}

function runHead(head: DenseHead, vectors: Float32Array[], chunks: Chunk[]): { prediction: HeadPrediction<string>; evidence: Evidence[] } {
  const p = probabilities(head, pooled(vectors, head.dim));
  const pred = argmax(p);
  const probs: Record<string, number> = {};
  head.labels.forEach((l, k) => (probs[l] = p[k]!));
  // A single chunk cannot be left out (nothing would remain): it is all the evidence there is.
  const drops =
    chunks.length > 1
      ? chunks.map((c, i) => ({ c, w: p[pred]! - probabilities(head, pooled(vectors, head.dim, i))[pred]! }))
      : chunks.map((c) => ({ c, w: p[pred]! }));
  const evidence = drops
    .filter((d) => d.w > 0)
    .sort((a, b) => b.w - a.w || a.c.start - b.c.start)
    .slice(0, EVIDENCE_CHUNKS)
    .map((d) => ({ head: head.name, term: d.c.text.slice(0, 120), start: d.c.start, end: d.c.end, weight: Number(d.w.toPrecision(4)) }));
  return { prediction: { label: head.labels[pred]!, confidence: p[pred]!, probabilities: probs }, evidence };
}

/** Labels and probabilities (no evidence) from an already pooled document vector. */
export function vectorPredictor(artifact: EmbeddingArtifact): (v: Float64Array) => { urgency: HeadPrediction<Urgency>; specialty: HeadPrediction<string> } {
  const urgency = denseHead('urgency', artifact.heads.urgency, artifact.embedder.dim);
  const specialty = denseHead('specialty', artifact.heads.specialty, artifact.embedder.dim);
  return (v) => {
    const x = [Float32Array.from(v)];
    return { urgency: runHead(urgency, x, []).prediction as HeadPrediction<Urgency>, specialty: runHead(specialty, x, []).prediction };
  };
}

export function parseEmbeddingArtifact(json: string, source = 'embedding model artifact'): EmbeddingArtifact {
  const r = embeddingArtifactSchema.safeParse(JSON.parse(json));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${source} is not a valid embedding triage model: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return r.data;
}

export function embeddingModelFromArtifact(artifact: EmbeddingArtifact, embedder: Embedder): AsyncTriageModel {
  if (embedder.dim !== artifact.embedder.dim) throw new Error(`embedder ${embedder.id} gives ${embedder.dim}-dim vectors; the model was trained on ${artifact.embedder.dim}`);
  const labels = artifact.heads.urgency.labels;
  if (labels.length !== URGENCIES.length || !URGENCIES.every((u) => labels.includes(u))) throw new Error(`urgency head labels must be ${URGENCIES.join(', ')}`);
  const urgency = denseHead('urgency', artifact.heads.urgency, embedder.dim);
  const specialty = denseHead('specialty', artifact.heads.specialty, embedder.dim);
  return {
    version: artifact.version,
    specialties: Object.freeze([...artifact.heads.specialty.labels]),
    async predict(text: string): Promise<Prediction> {
      const chunks = sentenceChunks(text);
      const vectors = await embedder.embed(chunks.length ? chunks.map((c) => c.text) : [text || ' ']);
      const u = runHead(urgency, vectors, chunks);
      const s = runHead(specialty, vectors, chunks);
      return {
        urgency: u.prediction as HeadPrediction<Urgency>,
        specialty: s.prediction,
        evidence: [...u.evidence, ...s.evidence],
        modelVersion: artifact.version,
      };
    },
  };
}

export type EmbeddingLoadOptions = {
  /** Overrides the folder recorded in the artifact (EMBEDDING_MODEL_DIR). */
  modelDir?: string;
  allowRemoteModels?: boolean;
};

/** The embedder is created on first use, so loading a process that never classifies costs nothing. */
export function loadEmbeddingModel(path: string, opts: EmbeddingLoadOptions = {}): AsyncTriageModel {
  const abs = resolve(path);
  const artifact = parseEmbeddingArtifact(readFileSync(abs, 'utf8'), abs);
  let model: Promise<AsyncTriageModel> | undefined;
  const get = () =>
    (model ??= createEmbedder({ modelDir: opts.modelDir ? resolve(opts.modelDir) : embedderDirFromArtifact(artifact.embedder.dir), allowRemoteModels: opts.allowRemoteModels ?? false }).then((e) =>
      embeddingModelFromArtifact(artifact, e),
    ));
  return {
    version: artifact.version,
    specialties: Object.freeze([...artifact.heads.specialty.labels]),
    predict: async (text) => (await get()).predict(text),
  };
}
