import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { stageDefinitions, stagePayload, type StageName } from '@triage/contracts';
import type { Db } from '@triage/db';
import { startCanaryResponder, type StageQueues } from '@triage/queue';
import { failDocument, runStage, type RunnerDeps } from './runner.ts';
import type { HandlerCatalog } from './stage-handler.ts';

export type WorkerHostOptions = {
  stages: readonly StageName[];
  concurrency: number;
  connection: Redis;
  prefix: string;
  handlers: HandlerCatalog;
  runner: RunnerDeps;
  db: Db;
  log: Logger;
};

export type WorkerHost = { workers: Worker[]; close(timeoutMs?: number): Promise<void> };

export type { Worker };

/** One BullMQ worker per stage, each job going through the one runner wrapper. */
export function startWorkerHost(o: WorkerHostOptions): WorkerHost {
  const workers = o.stages.map((stage) => {
    const def = stageDefinitions[stage];
    const worker = new Worker(
      stage,
      async (job: Job) => {
        await runStage(stage, o.handlers[stage] as never, job, o.runner);
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
    async close(timeoutMs = 30_000) {
      // Stop taking jobs, let running ones finish; past the deadline force-close so locks are released.
      const graceful = Promise.all(workers.map((w) => w.close()));
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
      if ((await Promise.race([graceful.then(() => 'ok' as const), timer])) === 'timeout') {
        o.log.warn('workers did not finish in time; forcing close');
        await Promise.all(workers.map((w) => w.close(true)));
      }
    },
  };
}

export type { RunnerDeps, StageQueues };
