import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** A standalone/Sentinel-fronted Redis, or a Redis Cluster (BullMQ takes either). */
export type RedisConnection = Redis | Cluster;

/** `redis+cluster://host:port,host:port`: the seed nodes of a Redis Cluster (the client discovers the rest). */
export const CLUSTER_SCHEME = 'redis+cluster://';
export const isClusterUrl = (url: string) => url.startsWith(CLUSTER_SCHEME);
export function clusterNodes(url: string): { host: string; port: number }[] {
  return url
    .slice(CLUSTER_SCHEME.length)
    .split(',')
    .map((hp) => {
      const [host, port] = hp.trim().split(':');
      return { host: host!, port: Number(port ?? 6379) };
    });
}

/**
 * BullMQ workers need maxRetriesPerRequest: null (blocking commands must wait out a reconnect
 * instead of failing); producers may fail fast so an API request does not hang.
 */
export function createRedis(url: string, role: 'worker' | 'producer', extra: RedisOptions = {}): RedisConnection {
  const options: RedisOptions = {
    maxRetriesPerRequest: role === 'worker' ? null : 2,
    enableReadyCheck: true,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
    ...extra,
  };
  if (isClusterUrl(url)) {
    return new Cluster(clusterNodes(url), { redisOptions: options, enableReadyCheck: true, clusterRetryStrategy: (times) => Math.min(times * 200, 2000) });
  }
  return new Redis(url, options);
}

export class RedisPolicyError extends Error {}

/** Any eviction policy but noeviction silently drops job keys: refuse to run on one. */
export async function assertNoEviction(redis: RedisConnection): Promise<void> {
  // On a cluster every primary holds queue keys (one slot per hash tag), so every primary is checked.
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  for (const node of nodes) await assertNodeNoEviction(node);
}

async function assertNodeNoEviction(redis: Redis): Promise<void> {
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
