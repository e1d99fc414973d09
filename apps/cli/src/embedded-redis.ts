import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import { clusterNodes, isClusterUrl } from '@triage/queue';

export class RedisUnavailableError extends Error {}

async function answers(url: string): Promise<boolean> {
  const r = isClusterUrl(url)
    ? new Cluster(clusterNodes(url), { lazyConnect: true, clusterRetryStrategy: () => null, redisOptions: { maxRetriesPerRequest: 0, connectTimeout: 1500 } })
    : new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 });
  r.on('error', () => {});
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The quick start runs on embedded defaults: with no Redis answering, start a private redis-server
 * child (nothing kept on disk; Postgres is the ledger) when the binary is on PATH.
 */
export async function ensureRedis(url: string, allowEmbedded: boolean): Promise<{ url: string; child?: ChildProcess }> {
  if (await answers(url)) return { url };
  // A cluster is never replaced by an embedded single server: that would split the queues.
  if (!allowEmbedded || isClusterUrl(url)) throw new RedisUnavailableError(`Redis does not answer at ${url}`);
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0) {
    throw new RedisUnavailableError(
      `Redis does not answer at ${url} and no redis-server is on PATH.\n` +
        'Install one (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) ' +
        'or point REDIS_URL at a running Redis.',
    );
  }
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
    { stdio: 'ignore' },
  );
  const embeddedUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await answers(embeddedUrl)) return { url: embeddedUrl, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new RedisUnavailableError('started redis-server but it did not answer');
}
