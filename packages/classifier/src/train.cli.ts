// CLI: tsx packages/classifier/src/train.cli.ts --data <file...> --out <path> [--seed N] [--kind lr|embedding --embedder DIR]
import { pathToFileURL } from 'node:url';
import { runTrainCommand, type TrainCommandArgs } from './train-command.ts';

export function parseTrainArgs(argv: string[]): TrainCommandArgs {
  const data: string[] = [];
  let out: string | undefined;
  let seed: number | undefined;
  const extra: Partial<TrainCommandArgs> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--data') {
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) data.push(argv[++i]!);
    } else if (arg === '--out') {
      out = argv[++i];
    } else if (arg === '--seed') {
      seed = Number(argv[++i]);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${argv[i]}`);
    } else if (arg === '--kind') {
      const kind = argv[++i];
      if (kind !== 'lr' && kind !== 'embedding') throw new Error(`--kind must be lr or embedding, got ${kind}`);
      extra.kind = kind;
    } else if (arg === '--embedder') {
      extra.embedder = argv[++i];
    } else if (arg === '--allow-remote-models') {
      extra.allowRemoteModels = true;
    } else {
      throw new Error(`unknown argument: ${arg}`);
    }
  }
  if (!data.length) throw new Error('--data needs at least one file');
  if (!out) throw new Error('--out <path> is required');
  return { ...(seed === undefined ? { data, out } : { data, out, seed }), ...extra };
}

async function main(): Promise<void> {
  const started = Date.now();
  const result = await runTrainCommand({ ...parseTrainArgs(process.argv.slice(2)), onProgress: (m) => console.error(m) });
  console.log(`wrote ${result.path} (${result.version}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const [k, v] of Object.entries(result.metrics)) console.log(`  ${k.padEnd(26)} ${v}`);
}

// Run only when executed directly, so the parser can be imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
