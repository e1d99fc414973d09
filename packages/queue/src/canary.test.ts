import { afterEach, describe, expect, it } from 'vitest';
import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { dropPrefix, randomPrefix, TEST_REDIS_URL, waitFor } from '@triage/testkit';
import { CANARY_BLOCK_SECONDS, CANARY_QUEUE, sendCanary, startCanaryResponder } from './canary.ts';
import { createRedis } from './redis.ts';

/** Clients named so that are blocked in BZPOPMIN right now (flags=b: blocked; cmd: the last command). */
async function blockedOn(admin: Redis, names: string[]): Promise<number> {
  const list = (await admin.client('LIST')) as string;
  return list.split('\n').filter((l) => / flags=b /.test(l) && / cmd=bzpopmin /.test(l) && names.some((n) => l.includes(`name=${n} `))).length;
}

describe('canary responder', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  });

  it('consumes a canary even when a paused process took the wake-up (within its block time, not BullMQ’s 5 s)', async () => {
    const prefix = randomPrefix();
    cleanup.push(() => dropPrefix(prefix));
    const admin = new Redis(TEST_REDIS_URL);
    cleanup.push(async () => admin.disconnect());
    // A "paused process": blocks on the marker first, so Redis hands it the next wake-up, then never acts on it.
    const paused = new Redis(TEST_REDIS_URL, { connectionName: `${prefix}-paused` });
    cleanup.push(async () => paused.disconnect());
    void paused.bzpopmin(`${prefix}:${CANARY_QUEUE}:marker`, 60).catch(() => undefined);
    await waitFor(async () => (await blockedOn(admin, [`${prefix}-paused`])) === 1, { what: 'the paused client to block' });

    const conn = createRedis(TEST_REDIS_URL, 'worker');
    cleanup.push(async () => conn.disconnect());
    const responder: Worker = startCanaryResponder(conn, prefix, 'live-1');
    cleanup.push(() => responder.close());
    await responder.waitUntilReady();
    // The live responder's blocking client (BullMQ names it prefix:base64(queue)) queues behind the paused one.
    const live = `${prefix}:${Buffer.from(CANARY_QUEUE).toString('base64')}`;
    await waitFor(async () => (await blockedOn(admin, [live])) === 1, { what: 'the responder to block' });

    const queue = new Queue(CANARY_QUEUE, { connection: createRedis(TEST_REDIS_URL, 'producer'), prefix });
    cleanup.push(() => queue.close());
    // The bound is the responder's block time plus room for a loaded machine, still under BullMQ's default 5 s.
    const bound = CANARY_BLOCK_SECONDS * 1000 + 2500;
    const r = await sendCanary(queue, bound);
    expect(r).toMatchObject({ ok: true, worker: 'live-1' });
    // The paused client really did take the wake-up: the marker is gone and it is no longer blocked.
    expect(await blockedOn(admin, [`${prefix}-paused`])).toBe(0);
  });
});
