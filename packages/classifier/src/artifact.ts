// The shipped model file: schema, float32 (little-endian, base64) packing, and the content version.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Vocabulary } from './features.ts';
import type { FeaturizerState } from './featurizer.ts';

export const ARTIFACT_FORMAT = 'triage-model/1';

export function packFloat32(values: ArrayLike<number>): string {
  const buf = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) buf.writeFloatLE(values[i] ?? 0, i * 4);
  return buf.toString('base64');
}

export function unpackFloat32(base64: string, expected?: number): Float32Array {
  const buf = Buffer.from(base64, 'base64');
  if (buf.length % 4 !== 0) throw new Error('packed float32 data has a length that is not a multiple of 4');
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  if (expected !== undefined && out.length !== expected) {
    throw new Error(`packed float32 data holds ${out.length} values, expected ${expected}`);
  }
  return out;
}

const packedVocabSchema = z.object({ terms: z.array(z.string()), idf: z.string() });
const featureConfigSchema = z.object({
  word: z.object({ minDf: z.number(), maxFeatures: z.number(), bigrams: z.boolean() }),
  char: z.object({ min: z.number(), max: z.number(), minDf: z.number(), maxFeatures: z.number() }).optional(),
  numeric: z.object({ squares: z.boolean() }).optional(),
});
export const lrSettingSchema = z.object({
  name: z.string(),
  features: featureConfigSchema,
  lambda: z.number(),
  target: z.enum(['soft', 'duplicate', 'rarest']),
  maxIter: z.number().int(),
});
const boostParamsSchema = z.object({
  rounds: z.number().int().positive(),
  depth: z.number().int().positive(),
  learningRate: z.number().positive(),
  l2: z.number().min(0),
  minLeaf: z.number().int().positive(),
});
export const stackedSettingSchema = z.object({
  kind: z.literal('stacked-gbt'),
  name: z.string(),
  base: lrSettingSchema,
  innerFolds: z.number().int().min(2),
  innerSeed: z.number().int(),
  trees: boostParamsSchema,
});
// Stacked first: a plain object schema would also accept (and strip) a stacked setting.
export const settingSchema = z.union([stackedSettingSchema, lrSettingSchema]);
const treeSchema = z.object({
  feature: z.array(z.number().int()),
  threshold: z.array(z.number()),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  value: z.array(z.number()),
});
const boosterSchema = z.object({
  K: z.number().int(),
  features: z.number().int(),
  base: z.array(z.number()),
  trees: z.array(treeSchema),
});
export const metricsSchema = z.record(z.string(), z.number());
/** A float32 matrix packed by packFloat32, with its shape. */
export const packedMatrixSchema = z.object({ dtype: z.literal('float32-le'), shape: z.tuple([z.number().int(), z.number().int()]), data: z.string() });

export const headArtifactSchema = z.object({
  labels: z.array(z.string()).min(2),
  setting: settingSchema,
  features: z.object({
    word: packedVocabSchema,
    char: packedVocabSchema.optional(),
    numeric: z
      .object({ names: z.array(z.string()), stats: z.object({ mean: z.array(z.number()), std: z.array(z.number()) }) })
      .optional(),
  }),
  /** Feature-major matrix: row j holds the K class weights of feature j (the base model when stacked). */
  weights: packedMatrixSchema,
  bias: z.array(z.number()),
  temperature: z.number().positive(),
  /** Stacked heads only: the trees over [raw vitals, base-model probabilities]. */
  booster: boosterSchema.optional(),
  comparison: z.array(z.object({ setting: settingSchema, metrics: metricsSchema })),
  metrics: metricsSchema,
});
export type HeadArtifact = z.infer<typeof headArtifactSchema>;

export const artifactSchema = z.object({
  format: z.literal(ARTIFACT_FORMAT),
  version: z.string(),
  createdFrom: z.object({ sha256: z.string(), records: z.number().int(), sources: z.record(z.string(), z.number()) }),
  training: z.object({ seed: z.number(), folds: z.number().int(), selection: z.string(), calibration: z.string() }),
  heads: z.object({ urgency: headArtifactSchema, specialty: headArtifactSchema }),
  metrics: metricsSchema,
});
export type ModelArtifact = z.infer<typeof artifactSchema>;

function packVocab(v: Vocabulary): HeadArtifact['features']['word'] {
  return { terms: v.terms, idf: packFloat32(v.idf) };
}

function unpackVocab(v: HeadArtifact['features']['word']): Vocabulary {
  return { terms: v.terms, idf: Array.from(unpackFloat32(v.idf, v.terms.length)) };
}

/** The logistic-regression setting behind a head: itself, or a stacked head's base. */
export function lrSettingOf(setting: HeadArtifact['setting']): z.infer<typeof lrSettingSchema> {
  return 'kind' in setting ? setting.base : setting;
}

export function packFeatures(state: FeaturizerState): HeadArtifact['features'] {
  const out: HeadArtifact['features'] = { word: packVocab(state.word) };
  if (state.char) out.char = packVocab(state.char);
  if (state.numeric) out.numeric = state.numeric;
  return out;
}

export function unpackFeatures(head: HeadArtifact): FeaturizerState {
  const state: FeaturizerState = { config: lrSettingOf(head.setting).features, word: unpackVocab(head.features.word) };
  if (head.features.char) state.char = unpackVocab(head.features.char);
  if (head.features.numeric) state.numeric = head.features.numeric;
  return state;
}

/** Hash of everything that decides predictions (labels, features, weights, temperatures), not the metrics. */
export function contentVersion(heads: ModelArtifact['heads']): string {
  const h = createHash('sha256');
  for (const head of [heads.urgency, heads.specialty]) {
    h.update(JSON.stringify([head.labels, head.setting, head.features, head.bias, head.temperature]));
    h.update(head.weights.data);
    if (head.booster) h.update(JSON.stringify(head.booster));
  }
  const kind = heads.urgency.booster || heads.specialty.booster ? 'stk' : 'lr';
  return `triage-${kind}-${h.digest('hex').slice(0, 8)}`;
}
