import { Queue } from 'bullmq';
import type { RedisConnection } from './redis.ts';
import { CANARY_QUEUE } from './canary.ts';
import { STAGES, jobIdFor, stageDefinitions, type StageName, type StagePayload } from '@triage/contracts';

export type StageQueues = {
  prefix: string;
  canary: Queue;
  queues: { [S in StageName]: Queue };
  enqueue(stage: StageName, payload: StagePayload, opts?: { delayMs?: number }): Promise<string>;
  depths(): Promise<Record<StageName, Record<string, number>>>;
  close(): Promise<void>;
};

export function createStageQueues(connection: RedisConnection, prefix: string): StageQueues {
  const queues = Object.fromEntries(
    STAGES.map((s) => [s, new Queue(s, { connection, prefix })]),
  ) as { [S in StageName]: Queue };
  const canary = new Queue(CANARY_QUEUE, { connection, prefix });
  return {
    prefix,
    canary,
    queues,
    async enqueue(stage, payload, opts = {}) {
      const def = stageDefinitions[stage];
      const jobId = jobIdFor(stage, payload);
      // Same id twice is a no-op in BullMQ while the first job is kept; Postgres stage_runs covers the rest.
      await queues[stage].add(stage, payload, {
        jobId,
        attempts: def.retry.attempts,
        backoff: { type: 'exponential', delay: def.retry.backoffMs },
        delay: opts.delayMs,
        removeOnComplete: { age: 3600, count: 5000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
      return jobId;
    },
    async depths() {
      const out = {} as Record<StageName, Record<string, number>>;
      for (const s of STAGES) {
        out[s] = await queues[s].getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
      }
      return out;
    },
    async close() {
      await Promise.all([...STAGES.map((s) => queues[s].close()), canary.close()]);
    },
  };
}
