import { Queue, Worker } from 'bullmq';
import { createRedis } from '@triage/queue';
import { STAGES } from '@triage/contracts';

/** The machine's ceiling: plain BullMQ, no-op processors, the same five-queue chain. */
export async function rawBullmqChain(redisUrl: string, prefix: string, n: number, concurrency: number): Promise<number> {
  const conn = createRedis(redisUrl, 'worker');
  const queues = STAGES.map((s) => new Queue(s, { connection: conn, prefix }));
  let done = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => (resolveAll = r));
  const workers = STAGES.map(
    (s, i) =>
      new Worker(
        s,
        async (job) => {
          const next = queues[i + 1];
          if (next) await next.add(STAGES[i + 1]!, job.data, { jobId: `${job.data.id}|${STAGES[i + 1]}`, removeOnComplete: true });
          else if (++done === n) resolveAll();
        },
        { connection: createRedis(redisUrl, 'worker'), prefix, concurrency },
      ),
  );
  const t0 = performance.now();
  await queues[0]!.addBulk(Array.from({ length: n }, (_, i) => ({ name: 'extract', data: { id: `d${i}` }, opts: { jobId: `d${i}|extract`, removeOnComplete: true } })));
  await all;
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all(queues.map((q) => q.obliterate({ force: true }).then(() => q.close())));
  conn.disconnect();
  return n / seconds;
}
