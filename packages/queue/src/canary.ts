import { Queue, Worker } from 'bullmq';
import type { RedisConnection } from './redis.ts';

export const CANARY_QUEUE = 'canary';

/**
 * How long a responder blocks on the queue's marker before it looks at the wait list itself. A job wakes one
 * blocked client; if that client belongs to a paused process (SIGSTOP, a long GC, a suspended VM) the wake is
 * lost, and the job waits until another responder's block times out. BullMQ's default (5 s) made that as long as
 * the readiness check's whole budget; 1 s keeps it well inside at one cheap BZPOPMIN per second per process.
 */
export const CANARY_BLOCK_SECONDS = 1;

/** The readiness check's bound: a running, unfrozen worker consumes a canary within this, from the add. */
export const CANARY_TIMEOUT_MS = 5000;

/** Every worker process answers canaries: a finished canary proves some worker really consumes. */
export function startCanaryResponder(connection: RedisConnection, prefix: string, workerId: string): Worker {
  return new Worker(CANARY_QUEUE, async () => ({ worker: workerId, at: Date.now() }), {
    connection,
    prefix,
    concurrency: 1,
    drainDelay: CANARY_BLOCK_SECONDS,
  });
}

export type CanaryResult = { ok: true; worker: string; ms: number } | { ok: false; error: string };

export async function sendCanary(queue: Queue, timeoutMs = CANARY_TIMEOUT_MS): Promise<CanaryResult> {
  const t0 = Date.now();
  const job = await queue.add('canary', {}, { removeOnComplete: { age: 60 }, removeOnFail: { age: 60 }, attempts: 1 });
  while (Date.now() - t0 < timeoutMs) {
    const state = await job.getState();
    if (state === 'completed') {
      const done = await queue.getJob(job.id!);
      return { ok: true, worker: String(done?.returnvalue?.worker ?? 'unknown'), ms: Date.now() - t0 };
    }
    if (state === 'failed') return { ok: false, error: 'canary failed' };
    await new Promise((r) => setTimeout(r, 50));
  }
  await job.remove().catch(() => undefined);
  return { ok: false, error: `no worker consumed a canary within ${timeoutMs} ms` };
}
