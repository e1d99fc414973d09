// The classify stage with the embedding classifier (smoke embedder: random weights, so labels mean nothing;
// this proves the async model runs through the runner and its output and evidence are committed).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier, runTrainCommand, type Classifier } from '@triage/classifier';
import { getDocument, getStageRun, latestClassification, upsertPages } from '@triage/db';
import { createStageEnv, insertTestDocument, sharedPath, testKeyring, type StageEnv } from '@triage/testkit';
import { runStage, type RunnerDeps } from '../../runner.ts';
import { createClassifyHandler } from './classify.handler.ts';

const SMOKE_EMBEDDER = sharedPath('models', 'smoke-random-embedder');

let env: StageEnv;
let deps: RunnerDeps;
let model: Classifier;
let version: string;
const keyring = testKeyring();
const dir = mkdtempSync(join(tmpdir(), 'classify-emb-'));

beforeAll(async () => {
  env = await createStageEnv();
  deps = { db: env.tdb.db, queues: env.queues, log: pino({ level: 'silent' }), workerId: 'test', codeVersion: 'test' };
  const data = join(dir, 'train.jsonl');
  const lines = Array.from({ length: 24 }, (_, i) =>
    JSON.stringify({ text: `Case ${i}. ${i % 2 ? 'Chest pain at rest.' : 'Itchy rash on arms.'} Thanks.`, urgency: ['emergent', 'urgent', 'routine'][i % 3], specialties: [i % 2 ? 'Cardiology' : 'Dermatology'] }),
  );
  writeFileSync(data, lines.join('\n'));
  const r = await runTrainCommand({ data: [data], out: join(dir, 'model.json'), kind: 'embedding', embedder: SMOKE_EMBEDDER, seed: 1 });
  version = r.version;
  model = loadClassifier({ kind: 'embedding', modelPath: r.path });
});
afterAll(async () => {
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('classify stage with CLASSIFIER=embedding', () => {
  it('commits the embedding model’s labels, version and occlusion evidence', async () => {
    const doc = await insertTestDocument(env.tdb.db);
    const text = 'Dear colleague. Chest pain at rest since this morning. Please see. Thanks.';
    await upsertPages(env.tdb.db, [{ documentId: doc.id, pageNo: 1, source: 'plain', text }], keyring);
    const job = { id: `${doc.id}|classify|1`, data: { documentId: doc.id, run: 1 }, attemptsMade: 0, opts: { attempts: 3 } };
    const r = await runStage('classify', createClassifyHandler({ db: env.tdb.db, model, keyring }), job, deps);
    expect(r.status).toBe('succeeded');
    const c = await latestClassification(env.tdb.db, doc.id);
    expect(c).toMatchObject({ modelVersion: version, run: 1 });
    expect(['emergent', 'urgent', 'routine']).toContain(c!.urgency);
    expect(['Cardiology', 'Dermatology']).toContain(c!.specialty);
    const evidence = c!.evidence as { start: number; end: number; head: string }[];
    expect(evidence.length).toBeGreaterThan(0);
    for (const e of evidence) expect(e.end).toBeGreaterThan(e.start);
    expect(await getStageRun(env.tdb.db, doc.id, 'classify', 1)).toBeDefined();
    expect((await getDocument(env.tdb.db, doc.id))?.status).not.toBe('failed');
  });
});
