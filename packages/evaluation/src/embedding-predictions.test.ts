// `triage eval --model <embedding artifact>`, shipped and cross-validated, on the random-weight smoke embedder:
// proves the plumbing (every record predicted, report written), not quality.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrainCommand } from '@triage/classifier';
import { sharedPath } from '@triage/testkit';
import { runEvalCommand } from './evaluate.ts';

const SMOKE_EMBEDDER = sharedPath('models', 'smoke-random-embedder');
let dir = '';
let data = '';
let modelPath = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'triage-eval-emb-'));
  data = join(dir, 'data.jsonl');
  const lines = Array.from({ length: 30 }, (_, i) =>
    JSON.stringify({ text: `Case ${i}. ${i % 2 ? 'Chest pain at rest.' : 'Itchy rash on arms.'} Thanks.`, urgency: ['emergent', 'urgent', 'routine'][i % 3], specialties: [i % 2 ? 'Cardiology' : 'Dermatology'] }),
  );
  await writeFile(data, lines.join('\n'));
  modelPath = (await runTrainCommand({ data: [data], out: join(dir, 'emb.json'), kind: 'embedding', embedder: SMOKE_EMBEDDER, seed: 3 })).path;
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('evaluating an embedding model', () => {
  it('runs the shipped embedding artifact over every record', async () => {
    const r = await runEvalCommand({ data: [data], out: join(dir, 'shipped'), modelPath, redFlagsPath: null });
    expect(r.reportMd).toContain('**Mode: shipped.**');
    expect(r.reportMd).toContain('shipped embedding model triage-emb-');
    expect(r.metrics['urgency.n']).toBe(30);
    expect(r.metrics['specialty.n']).toBe(30);
  });

  it('cross-validates by refitting its heads per fold on vectors embedded once', async () => {
    const r = await runEvalCommand({ data: [data], out: join(dir, 'cv'), modelPath, folds: 3, redFlagsPath: null });
    expect(r.reportMd).toContain('**Mode: cross-validated.**');
    expect(r.reportMd).toContain('embedded once with smoke-random-embedder');
    expect(r.metrics['urgency.n']).toBe(30);
    expect(r.metrics['urgency.accuracy']).toBeGreaterThanOrEqual(0);
    expect(r.metrics['urgency.accuracy']).toBeLessThanOrEqual(1);
  });
});
