// File-level training: read datasets, train, write the artifact.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { readTrainingFiles } from './dataset.ts';
import { trainModel } from './train.ts';

export type TrainCommandArgs = { data: string[]; out: string; seed?: number };
export type TrainCommandResult = { path: string; version: string; metrics: Record<string, number> };

export async function runTrainCommand(args: TrainCommandArgs): Promise<TrainCommandResult> {
  if (!args.data.length) throw new Error('no training data files given');
  const records = await readTrainingFiles(args.data);
  const artifact = trainModel(records, args.seed === undefined ? {} : { seed: args.seed });
  const path = resolve(args.out);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(artifact)}\n`);
  return { path, version: artifact.version, metrics: artifact.metrics };
}
