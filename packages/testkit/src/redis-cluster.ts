import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type TestRedisCluster = { url: string; ports: number[]; stop(): Promise<void> };

/** A real 3-primary Redis Cluster on loopback (Debian's redis-server), with no eviction and nothing on disk. */
export async function startRedisCluster(): Promise<TestRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const children: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', dir],
      { stdio: 'ignore' },
    ),
  );
  const cli = (...args: string[]) => spawnSync('redis-cli', args, { encoding: 'utf8', timeout: 30_000 });
  for (const port of ports) {
    for (let i = 0; i < 100 && cli('-p', String(port), 'ping').stdout.trim() !== 'PONG'; i++) await sleep(50);
  }
  const create = cli('--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes');
  if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout} ${create.stderr}`);
  for (let i = 0; i < 200; i++) {
    if (ports.every((p) => /cluster_state:ok/.test(cli('-p', String(p), 'cluster', 'info').stdout))) break;
    await sleep(100);
  }
  return {
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    ports,
    async stop() {
      for (const c of children) c.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
