import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createTesseractJsEngine, makeScanPng, type OcrEngine } from '@triage/documents';
import { listAttempts } from '@triage/db';
import { createRedis } from '@triage/queue';
import { createStageEnv, insertTestDocument, TEST_REDIS_URL, waitFor, type StageEnv } from '@triage/testkit';
import type { HandlerCatalog, StageHandler } from './stage-handler.ts';
import { startWorkerHost } from './worker-host.ts';

let env: StageEnv;
let engine: OcrEngine;
let page: Buffer;
beforeAll(async () => {
  env = await createStageEnv();
  engine = createTesseractJsEngine({ workers: 1 });
  page = await makeScanPng('REFERRAL\nDear colleague, please see this patient with a painful swollen knee.\nYours sincerely', 0);
}, 120_000);
afterAll(async () => {
  await engine?.close();
  await env?.close();
});

const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
function host(name: string, ocr: StageHandler<'ocr'>) {
  const connection = createRedis(TEST_REDIS_URL, 'worker');
  const h = startWorkerHost({
    stages: ['ocr'],
    concurrency: 1,
    connection,
    prefix: env.prefix,
    handlers: { ocr } as unknown as HandlerCatalog,
    db: env.tdb.db,
    log: silent,
    runner: { db: env.tdb.db, queues: env.queues, log: silent, workerId: name, codeVersion: 'test' },
  });
  return { ...h, async stop(timeoutMs: number) {
    const r = await h.close(timeoutMs);
    connection.disconnect();
    return r;
  } };
}

describe('worker shutdown', () => {
  it('hands a running OCR job back at the drain deadline, and another process reruns it within 1 s', async () => {
    const doc = await insertTestDocument(env.tdb.db);
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    // A real OCR job, made long: the page is recognised again and again until the process stops.
    let stop = false;
    const slow: StageHandler<'ocr'> = async () => {
      started();
      while (!stop) await engine.recognize(page);
      return { outcome: { type: 'recognized' as const, pages: 1, meanConfidence: 90 } };
    };
    const a = host('worker-a', slow);
    await env.queues.enqueue('ocr', { documentId: doc.id, run: 1 });
    await running;
    // A second process is already up and idle, as in a deployment.
    let rerunAt = 0;
    const b = host('worker-b', async () => {
      rerunAt ||= Date.now();
      return { outcome: { type: 'recognized' as const, pages: 1, meanConfidence: 90 } };
    });
    const deadlineAt = Date.now() + 300;
    const { handedBack } = await a.stop(300);
    stop = true;
    expect(handedBack).toBe(1);
    await waitFor(async () => (rerunAt ? true : undefined), { timeoutMs: 30_000, what: 'the rerun' });
    // Without the hand-back the job would sit locked for the OCR stage's lockMs (120 s) and rerun as a stall.
    expect(rerunAt - deadlineAt).toBeLessThan(30_000);
    console.log(`handed-back job rerun ${rerunAt - deadlineAt} ms after the drain deadline`);
    await b.stop(5_000);
    const attempts = await listAttempts(env.tdb.db, doc.id);
    expect(attempts.map((x) => x.worker)).toEqual(['worker-a', 'worker-b']);
  }, 60_000);
});
