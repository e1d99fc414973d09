// Measures predict() latency on real ~3 KB documents: npx tsx packages/classifier/src/bench-predict.ts [data.jsonl.gz] [model.json]
import { existsSync } from 'node:fs';
import { readTrainingFiles } from './dataset.ts';
import { loadModel } from './model.ts';

const DEFAULT_DATA = '/work/shared/datasets/mtsamples/documents.jsonl.gz';

async function main(): Promise<void> {
  const path = process.argv[2] ?? DEFAULT_DATA;
  if (!existsSync(path)) throw new Error(`no benchmark data at ${path}`);
  const texts = (await readTrainingFiles([path])).map((r) => r.text);
  // "Typical" = 2.5–3.5 KB, the median referral size.
  const docs = texts.filter((t) => t.length >= 2500 && t.length <= 3500);
  const loadStart = performance.now();
  const model = loadModel(process.argv[3]);
  const loadMs = performance.now() - loadStart;

  // Warm up the JIT on other documents, so the first pass still meets each benchmark doc fresh.
  for (const t of texts.filter((t) => t.length < 2500).slice(0, 100)) model.predict(t);
  const time = (rounds: number) => {
    const start = performance.now();
    for (let r = 0; r < rounds; r++) for (const t of docs) model.predict(t);
    return (performance.now() - start) / (rounds * docs.length);
  };
  const first = time(1);
  const repeat = time(3);
  const avgLen = docs.reduce((a, t) => a + t.length, 0) / docs.length;
  console.log(`model ${model.version}: load ${loadMs.toFixed(0)} ms`);
  console.log(`${docs.length} docs, mean ${avgLen.toFixed(0)} chars`);
  console.log(`predict, first pass: ${first.toFixed(3)} ms/doc`);
  console.log(`predict, repeat passes: ${repeat.toFixed(3)} ms/doc`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
