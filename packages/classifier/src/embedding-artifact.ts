// The embedding classifier's artifact: which embedder, and a calibrated softmax head per task on its vectors.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { metricsSchema, packedMatrixSchema } from './artifact.ts';

export const EMBEDDING_ARTIFACT_FORMAT = 'triage-embedding-model/1';

export const denseSettingSchema = z.object({ name: z.string(), lambda: z.number(), target: z.enum(['soft', 'rarest']) });
export type DenseSetting = z.infer<typeof denseSettingSchema>;

export const denseHeadSchema = z.object({
  labels: z.array(z.string()).min(2),
  setting: denseSettingSchema,
  /** Dimension-major: row d holds the K class weights of embedding dimension d. */
  weights: packedMatrixSchema,
  bias: z.array(z.number()),
  temperature: z.number().positive(),
  comparison: z.array(z.object({ setting: denseSettingSchema, metrics: metricsSchema })),
  metrics: metricsSchema,
});
export type DenseHeadArtifact = z.infer<typeof denseHeadSchema>;

export const embeddingArtifactSchema = z.object({
  format: z.literal(EMBEDDING_ARTIFACT_FORMAT),
  version: z.string(),
  embedder: z.object({
    /** The model folder's name (transformers.js model id) and the folder as given to training. */
    id: z.string(),
    dir: z.string(),
    dim: z.number().int().positive(),
    pooling: z.literal('mean-of-sentence-chunks'),
    normalize: z.literal(true),
  }),
  createdFrom: z.object({ sha256: z.string(), records: z.number().int(), sources: z.record(z.string(), z.number()) }),
  training: z.object({ seed: z.number(), folds: z.number().int(), selection: z.string(), calibration: z.string() }),
  heads: z.object({ urgency: denseHeadSchema, specialty: denseHeadSchema }),
  metrics: metricsSchema,
});
export type EmbeddingArtifact = z.infer<typeof embeddingArtifactSchema>;

export function isEmbeddingArtifact(json: unknown): boolean {
  return typeof json === 'object' && json !== null && (json as { format?: unknown }).format === EMBEDDING_ARTIFACT_FORMAT;
}

export function embeddingVersion(embedder: EmbeddingArtifact['embedder'], heads: EmbeddingArtifact['heads']): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([embedder.id, embedder.dim, embedder.pooling]));
  for (const head of [heads.urgency, heads.specialty]) {
    h.update(JSON.stringify([head.labels, head.setting, head.bias, head.temperature]));
    h.update(head.weights.data);
  }
  return `triage-emb-${h.digest('hex').slice(0, 8)}`;
}
