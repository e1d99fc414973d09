import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnrecoverableError } from 'bullmq';
import pino from 'pino';
import { getDocument, getStageRun, listAttempts, type DocumentRow } from '@triage/db';
import { createStageEnv, insertTestDocument, waitFor, type StageEnv } from '@triage/testkit';
import { PermanentError } from './errors.ts';
import { runStage, type RunnerDeps } from './runner.ts';
import type { StageHandler } from './stage-handler.ts';

let env: StageEnv;
let deps: RunnerDeps;

beforeAll(async () => {
  env = await createStageEnv();
  deps = { db: env.tdb.db, queues: env.queues, log: pino({ level: 'silent' }), workerId: 'test', codeVersion: 'test' };
});
afterAll(async () => env.close());

const newDoc = () => insertTestDocument(env.tdb.db);

const job = (doc: DocumentRow, attemptsMade = 0) => ({ id: `${doc.id}|classify|1`, data: { documentId: doc.id, run: 1 }, attemptsMade, opts: { attempts: 3 } });

const classifyOk: StageHandler<'classify'> = async () => ({ outcome: { type: 'classified', urgency: 'urgent', specialty: 'Urology' } });

describe('runner', () => {
  it('commits the outcome, moves the ledger and enqueues the next stage', async () => {
    const doc = await newDoc();
    const r = await runStage('classify', classifyOk, job(doc), deps);
    expect(r.status).toBe('succeeded');
    expect(await getDocument(env.tdb.db, doc.id)).toMatchObject({ status: 'processing', stage: 'persist' });
    expect(await env.queues.queues.persist.getJob(`${doc.id}|persist|1`)).toBeTruthy();
    const attempts = await listAttempts(env.tdb.db, doc.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ stage: 'classify', outcome: 'succeeded', attempt: 1, worker: 'test' });
    expect(attempts[0]?.endedAt).toBeInstanceOf(Date);
  });

  it('skips work already committed and says so in the provenance', async () => {
    const doc = await newDoc();
    let calls = 0;
    const counting: StageHandler<'classify'> = async (c, d) => {
      calls++;
      return classifyOk(c, d);
    };
    await runStage('classify', counting, job(doc), deps);
    const again = await runStage('classify', counting, job(doc), deps);
    expect(again.status).toBe('skipped');
    expect(calls).toBe(1);
    expect((await listAttempts(env.tdb.db, doc.id)).map((a) => a.outcome)).toEqual(['succeeded', 'skipped']);
  });

  it('two concurrent executions of one job commit one output', async () => {
    const doc = await newDoc();
    const slow: StageHandler<'classify'> = async (c, d) => {
      await new Promise((r) => setTimeout(r, 50));
      return classifyOk(c, d);
    };
    const results = await Promise.all([runStage('classify', slow, job(doc), deps), runStage('classify', slow, job(doc), deps)]);
    expect(results.map((r) => r.status).sort()).toEqual(['skipped', 'succeeded']);
    expect(await getStageRun(env.tdb.db, doc.id, 'classify', 1)).toBeTruthy();
  });

  it('fails a permanent error at once with its typed reason', async () => {
    const doc = await newDoc();
    const bad: StageHandler<'classify'> = async () => {
      throw new PermanentError('unreadable', 'corrupt file');
    };
    await expect(runStage('classify', bad, job(doc), deps)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await getDocument(env.tdb.db, doc.id)).toMatchObject({ status: 'failed', failureReason: 'unreadable' });
    expect((await listAttempts(env.tdb.db, doc.id))[0]).toMatchObject({ outcome: 'failed', errorClass: 'permanent' });
  });

  it('retries a transient error and fails with retries_exhausted on the last attempt', async () => {
    const doc = await newDoc();
    const flaky: StageHandler<'classify'> = async () => {
      throw new Error('connection reset');
    };
    await expect(runStage('classify', flaky, job(doc, 0), deps)).rejects.toThrow('connection reset');
    expect((await getDocument(env.tdb.db, doc.id))?.status).toBe('processing');
    await expect(runStage('classify', flaky, job(doc, 2), deps)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await getDocument(env.tdb.db, doc.id)).toMatchObject({ status: 'failed', failureReason: 'retries_exhausted' });
    expect((await listAttempts(env.tdb.db, doc.id)).map((a) => a.outcome)).toEqual(['retry', 'failed']);
  });

  it('hands BullMQ (which keeps it in Redis) only the scrubbed message of a retried error, with no stack', async () => {
    const doc = await newDoc();
    const leaky: StageHandler<'classify'> = async () => {
      throw new Error('cannot read "Quorvina Zelbrecht" with MRN 88412963');
    };
    const thrown = await runStage('classify', leaky, job(doc, 0), deps).catch((e: Error) => e);
    expect(thrown).toBeInstanceOf(Error);
    const stored = `${(thrown as Error).message}\n${(thrown as Error).stack}`;
    expect(stored).toContain('cannot read');
    expect(stored).not.toContain('Quorvina');
    expect(stored).not.toContain('88412963');
    expect(stored).not.toMatch(/\bat .*:\d+:\d+/);
    const [attempt] = await listAttempts(env.tdb.db, doc.id);
    expect(attempt?.errorMessage).not.toContain('Quorvina');
  });

  it('quarantines a document whose attempts keep dying', async () => {
    const doc = await newDoc();
    const never: StageHandler<'classify'> = () => new Promise(() => {});
    // Simulate three workers killed mid-attempt: their attempts never end.
    for (let i = 0; i < 3; i++) void runStage('classify', never, job(doc, i), deps).catch(() => {});
    // Wait for the three attempts to be on record, however long the machine takes to write them.
    await waitFor(async () => (await listAttempts(env.tdb.db, doc.id)).filter((a) => a.outcome === 'running').length === 3, {
      what: 'three running attempts',
    });
    await expect(runStage('classify', classifyOk, job(doc, 3), deps)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await getDocument(env.tdb.db, doc.id)).toMatchObject({ status: 'failed', failureReason: 'poison' });
  });

  it('drops a payload that carries anything but ids', async () => {
    const doc = await newDoc();
    const bad = { ...job(doc), data: { documentId: doc.id, run: 1, text: 'patient name' } };
    await expect(runStage('classify', classifyOk, bad, deps)).rejects.toBeInstanceOf(UnrecoverableError);
  });
});
