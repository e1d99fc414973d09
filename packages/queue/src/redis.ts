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
  const res = (await redis.config('GET', 'maxmemory-policy')) as string[];
  const policy = res[1];
  if (policy !== 'noeviction') {
    throw new RedisPolicyError(
      `Redis maxmemory-policy is "${policy}"; it must be "noeviction" or queued jobs can be silently evicted. ` +
        'Fix: redis-cli CONFIG SET maxmemory-policy noeviction (and set it in redis.conf).',
    );
  }
}
