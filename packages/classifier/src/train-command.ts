// File-level training: read datasets, train (LR/stacked or embedding heads), write the artifact.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { z } from 'zod';
import { readTrainingFiles } from './dataset.ts';
import { createEmbedder } from './embedder.ts';
import { REPO_ROOT } from './embedding-model.ts';
import { trainEmbeddingModel } from './embedding-train.ts';
import { trainModel } from './train.ts';

export const trainCommandArgsSchema = z
  .object({
    data: z.array(z.string().min(1)).min(1, 'no training data files given'),
    out: z.string().min(1),
    seed: z.number().int().optional(),
    kind: z.enum(['lr', 'embedding']).default('lr'),
    /** Embedding kind: the local transformers.js model folder. */
    embedder: z.string().min(1).optional(),
    allowRemoteModels: z.boolean().default(false),
    onProgress: z.custom<(message: string) => void>((v) => typeof v === 'function').optional(),
  })
  .refine((a) => a.kind !== 'embedding' || a.embedder !== undefined, { message: '--kind embedding needs --embedder <folder>', path: ['embedder'] });
export type TrainCommandArgs = z.input<typeof trainCommandArgsSchema>;
export type TrainCommandResult = { path: string; version: string; metrics: Record<string, number> };

export async function runTrainCommand(input: TrainCommandArgs): Promise<TrainCommandResult> {
  const args = trainCommandArgsSchema.parse(input);
  const records = await readTrainingFiles(args.data);
  const seed = args.seed === undefined ? {} : { seed: args.seed };
  let artifact: { version: string; metrics: Record<string, number> };
  if (args.kind === 'embedding') {
    const dir = resolve(args.embedder!);
    const embedder = await createEmbedder({ modelDir: dir, allowRemoteModels: args.allowRemoteModels });
    artifact = await trainEmbeddingModel(records, embedder, { ...seed, embedderDir: relative(REPO_ROOT, dir), ...(args.onProgress && { onProgress: args.onProgress }) });
  } else artifact = trainModel(records, seed);
  const path = resolve(args.out);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(artifact)}\n`);
  return { path, version: artifact.version, metrics: artifact.metrics };
}
