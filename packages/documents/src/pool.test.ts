import { describe, expect, it } from 'vitest';
import { ResourcePool } from './pool.ts';

function counterPool(size: number, maxUses?: number) {
  const created: number[] = [];
  const destroyed: number[] = [];
  const pool = new ResourcePool<number>({
    size,
    maxUses,
    create: async () => {
      created.push(created.length);
      return created.length - 1;
    },
    destroy: async (r) => {
      destroyed.push(r);
    },
  });
  return { pool, created, destroyed };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('ResourcePool', () => {
  it('creates nothing until asked, then reuses', async () => {
    const { pool, created } = counterPool(2);
    expect(created).toEqual([]);
    await pool.use(async () => undefined);
    await pool.use(async () => undefined);
    expect(created).toEqual([0]);
  });

  it('never exceeds its size and serves waiters in order', async () => {
    const { pool, created } = counterPool(2);
    const order: number[] = [];
    let running = 0;
    let peak = 0;
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        pool.use(async () => {
          running++;
          peak = Math.max(peak, running);
          await tick();
          order.push(i);
          running--;
        }),
      ),
    );
    expect(created).toHaveLength(2);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('replaces a resource whose job failed, and one that is worn out', async () => {
    const { pool, created, destroyed } = counterPool(1, 2);
    await expect(pool.use(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(destroyed).toEqual([0]);
    await pool.use(async () => undefined);
    await pool.use(async () => undefined); // second use of #1: retired
    expect(destroyed).toEqual([0, 1]);
    await pool.use(async (r) => expect(r).toBe(2));
    expect(created).toHaveLength(3);
  });

  it('close waits for running work, rejects queued work, destroys everything', async () => {
    const { pool, destroyed } = counterPool(1);
    let finished = false;
    const running = pool.use(async () => {
      await tick();
      finished = true;
    });
    await tick(); // let the first job take the only resource
    const queued = pool.use(async () => undefined).catch((e: unknown) => e);
    await pool.close();
    expect(finished).toBe(true);
    await running;
    expect(await queued).toBeInstanceOf(Error);
    expect(destroyed).toEqual([0]);
    await expect(pool.use(async () => undefined)).rejects.toThrow('closed');
  });

  it('passes a creation failure to the caller and recovers', async () => {
    let fail = true;
    const pool = new ResourcePool<string>({
      size: 1,
      create: async () => {
        if (fail) throw new Error('no data');
        return 'ok';
      },
      destroy: async () => undefined,
    });
    await expect(pool.use(async (r) => r)).rejects.toThrow('no data');
    fail = false;
    expect(await pool.use(async (r) => r)).toBe('ok');
  });
});
