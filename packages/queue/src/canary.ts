import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';

export const CANARY_QUEUE = 'canary';

/** Every worker process answers canaries: a finished canary proves some worker really consumes. */
export function startCanaryResponder(connection: Redis, prefix: string, workerId: string): Worker {
  return new Worker(CANARY_QUEUE, async () => ({ worker: workerId, at: Date.now() }), { connection, prefix, concurrency: 1 });
}

export type CanaryResult = { ok: true; worker: string; ms: number } | { ok: false; error: string };

export async function sendCanary(queue: Queue, timeoutMs: number): Promise<CanaryResult> {
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
