import { Redis, type RedisOptions } from 'ioredis';

/**
 * BullMQ workers need maxRetriesPerRequest: null (blocking commands must wait out a reconnect
 * instead of failing); producers may fail fast so an API request does not hang.
 */
export function createRedis(url: string, role: 'worker' | 'producer', extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 2,
    enableReadyCheck: true,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
    ...extra,
  });
}

export class RedisPolicyError extends Error {}

/** Any eviction policy but noeviction silently drops job keys: refuse to run on one. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const policy = await maxmemoryPolicy(redis);
  if (policy !== 'noeviction') {
    throw new RedisPolicyError(
      `Redis maxmemory-policy is "${policy}"; it must be "noeviction" or queued jobs can be silently evicted. ` +
        'Fix: redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf).',
    );
  }
}

/**
 * CONFIG is blocked on managed Redis (ElastiCache, Memorystore), so the policy is read from INFO memory, which they
 * allow; CONFIG GET only when INFO does not carry the field (very old servers).
 */
export async function maxmemoryPolicy(redis: Redis): Promise<string | undefined> {
  const info = await redis.info('memory');
  const m = /^maxmemory_policy:(\S+)/m.exec(info);
  if (m) return m[1];
  const res = (await redis.config('GET', 'maxmemory-policy')) as string[];
  return res[1];
}
