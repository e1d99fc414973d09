import { Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { stageDefinitions, stagePayload, type StageName } from '@triage/contracts';
import type { Db } from '@triage/db';
import { startCanaryResponder, type RedisConnection, type StageQueues } from '@triage/queue';
import { failDocument, runStage, type RunnerDeps } from './runner.ts';
import type { HandlerCatalog } from './stage-handler.ts';

export type WorkerHostOptions = {
  stages: readonly StageName[];
  concurrency: number;
  connection: RedisConnection;
  prefix: string;
  handlers: HandlerCatalog;
  runner: RunnerDeps;
  db: Db;
  log: Logger;
};

export type WorkerHost = {
  workers: Worker[];
  /** Stops taking jobs and drains; returns how many running jobs were handed back at the deadline. */
  close(timeoutMs?: number): Promise<{ handedBack: number }>;
};

/** How long a stopping process lets running jobs finish before it hands them back (orchestrators: grace ≥ this + 10 s). */
export const DRAIN_TIMEOUT_MS = 30_000;
const FORCE_CLOSE_MS = 2_000;

export type { Worker };

/** One BullMQ worker per stage, each job going through the one runner wrapper. */
export function startWorkerHost(o: WorkerHostOptions): WorkerHost {
  // Jobs running now, with the lock token each holds: what a deadline hands back to the queue.
  const running = new Map<string, { job: Job; token: string | undefined }>();
  const workers = o.stages.map((stage) => {
    const def = stageDefinitions[stage];
    const worker = new Worker(
      stage,
      async (job: Job, token?: string) => {
        const key = `${stage}:${job.id}`;
        running.set(key, { job, token });
        try {
          await runStage(stage, o.handlers[stage] as never, job, o.runner);
        } finally {
          running.delete(key);
        }
      },
      {
        connection: o.connection,
        prefix: o.prefix,
        // CPU-heavy work queues inside the parser and OCR pools, so every stage can take many jobs.
        concurrency: o.concurrency,
        lockDuration: def.lockMs,
        maxStalledCount: 2,
        autorun: true,
      },
    );
    worker.on('failed', (job, err) => {
      // BullMQ fails a job that stalled too often without running our code or its backoff:
      // the ledger must still learn that this document failed.
      if (job && /stalled more than allowable limit/i.test(err.message)) {
        const p = stagePayload.safeParse(job.data);
        if (p.success) {
          void failDocument(o.db, p.data.documentId, p.data.run, 'poison', `${stage}: job stalled repeatedly`).catch((e) =>
            o.log.error({ err: e }, 'could not record stalled job'),
          );
        }
      }
    });
    worker.on('error', (err) => o.log.error({ stage, err: { message: err.message } }, 'worker error'));
    return worker;
  });
  workers.push(startCanaryResponder(o.connection, o.prefix, o.runner.workerId));
  return {
    workers,
    async close(timeoutMs = DRAIN_TIMEOUT_MS) {
      // Stop taking jobs, let running ones finish within the budget.
      const graceful = Promise.all(workers.map((w) => w.close()));
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
      if ((await Promise.race([graceful.then(() => 'ok' as const), timer])) !== 'timeout') return { handedBack: 0 };
      // Past it, give each job back to the queue under its lock, so another process runs it at once instead of
      // waiting out the lock (up to minutes for OCR) and counting a stall. Its attempt stays open in the
      // provenance; the next attempt sees it as unfinished, as after a crash.
      let handedBack = 0;
      for (const { job, token } of running.values()) {
        try {
          await job.moveToWait(token);
          handedBack++;
        } catch (e) {
          o.log.warn({ jobId: job.id, err: { message: (e as Error).message } }, 'could not hand a job back; it reruns after its lock expires');
        }
      }
      o.log.warn({ handedBack }, 'workers did not finish in time; running jobs handed back');
      // A forced close still waits for a handler that never returns (a hung page): bounded, the process exits anyway.
      const forced = Promise.all(workers.map((w) => w.close(true))).catch(() => undefined);
      await Promise.race([forced, new Promise((r) => setTimeout(r, FORCE_CLOSE_MS).unref())]);
      return { handedBack };
    },
  };
}

export type { RunnerDeps, StageQueues };
