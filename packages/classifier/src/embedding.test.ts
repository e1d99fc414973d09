// Loading, training plumbing and prediction of the embedding classifier on the random-weight smoke embedder.
// Its vectors mean nothing, so this proves wiring and invariants, not quality. No network is used.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPath } from '@triage/testkit';
import { sentenceChunks } from './chunks.ts';
import { URGENCIES, type TrainingRecord, type Urgency } from './dataset.ts';
import { createEmbedder } from './embedder.ts';
import { embedderDirFromArtifact, parseEmbeddingArtifact } from './embedding-model.ts';
import { loadClassifier } from './load-classifier.ts';
import { runTrainCommand } from './train-command.ts';

const SMOKE_EMBEDDER = sharedPath('models', 'smoke-random-embedder');
const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const smokeDir = embedderDirFromArtifact(SMOKE_EMBEDDER);

const URG: Urgency[] = ['emergent', 'urgent', 'routine'];
const records: TrainingRecord[] = Array.from({ length: 36 }, (_, i) => ({
  text: `Referral ${i}. ${['Crushing chest pain, collapsed.', 'Worsening cough for a week.', 'Stable chronic eczema.'][i % 3]} Please see. Thanks.`,
  urgency: URG[i % 3]!,
  specialties: [i % 2 ? 'Dermatology' : 'Cardiology'],
  source: 'synthetic',
}));

const dir = mkdtempSync(join(tmpdir(), 'emb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sentenceChunks', () => {
  it('splits on sentence ends with exact offsets and bounds the chunk count', () => {
    const text = '  First one. Second: here\nThird line without stop';
    const chunks = sentenceChunks(text);
    expect(chunks.map((c) => c.text)).toEqual(['First one.', 'Second:', 'here', 'Third line without stop']);
    for (const c of chunks) expect(text.slice(c.start, c.end)).toBe(c.text);
    const long = Array.from({ length: 500 }, (_, i) => `Sentence ${i}.`).join(' ');
    const merged = sentenceChunks(long, 48);
    expect(merged.length).toBeLessThanOrEqual(48);
    expect(merged[0]!.start).toBe(0);
    expect(merged.at(-1)!.end).toBe(long.length);
  });
});

describe('embedding classifier (smoke embedder)', () => {
  it('refuses a folder without a model instead of downloading one', async () => {
    await expect(createEmbedder({ modelDir: join(dir, 'no-such-model') })).rejects.toThrow(/no onnx\/model.onnx/);
  });

  it('embeds to unit-length vectors of the model width, the same every time', async () => {
    const e = await createEmbedder({ modelDir: smokeDir });
    expect(e.id).toBe('smoke-random-embedder');
    const [a, b] = await e.embed(['chest pain', 'chest pain']);
    expect(a!.length).toBe(e.dim);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 4);
    expect(Array.from(b!)).toEqual(Array.from(a!));
  });

  it('trains with `--kind embedding`, loads through config, predicts with occlusion evidence', async () => {
    const out = join(dir, 'emb-model.json');
    const r = await runTrainCommand({ data: [writeData()], out, kind: 'embedding', embedder: smokeDir, seed: 5 });
    expect(r.version).toMatch(/^triage-emb-[0-9a-f]{8}$/);
    const artifact = parseEmbeddingArtifact(readFileSync(out, 'utf8'));
    expect(artifact.embedder).toMatchObject({ id: 'smoke-random-embedder', dir: relative(REPO_ROOT, SMOKE_EMBEDDER), pooling: 'mean-of-sentence-chunks' });
    expect(artifact.heads.urgency.labels).toEqual([...URGENCIES]);
    expect(artifact.heads.specialty.labels).toEqual(['Cardiology', 'Dermatology']);
    expect(artifact.heads.urgency.comparison.length).toBeGreaterThanOrEqual(2);
    expect(artifact.createdFrom.records).toBe(records.length);
    // Same data, seed and embedder: the same artifact.
    const again = await runTrainCommand({ data: [writeData()], out: join(dir, 'again.json'), kind: 'embedding', embedder: smokeDir, seed: 5 });
    expect(again.version).toBe(r.version);

    const model = loadClassifier({ kind: 'embedding', modelPath: out });
    const text = 'Dear Dr Patel. Crushing chest pain, collapsed at home. Please see urgently. Many thanks.';
    const p = await model.predict(text);
    expect(p.modelVersion).toBe(r.version);
    expect(URGENCIES).toContain(p.urgency.label);
    for (const h of [p.urgency, p.specialty]) {
      const sum = Object.values(h.probabilities).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 6);
      expect(h.confidence).toBe(Math.max(...Object.values(h.probabilities)));
    }
    expect(p.evidence.length).toBeGreaterThan(0);
    for (const e of p.evidence) {
      expect(e.weight).toBeGreaterThan(0);
      expect(text.slice(e.start, e.end).startsWith(e.term.slice(0, 20))).toBe(true);
    }
  });

  it('rejects an LR artifact where an embedding one is expected', () => {
    expect(() => loadClassifier({ kind: 'embedding', modelPath: join(import.meta.dirname, '../../../models/triage-model.json') })).toThrow(/not a valid embedding triage model/);
  });
});

function writeData(): string {
  const path = join(dir, 'train.jsonl');
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n'));
  return path;
}

