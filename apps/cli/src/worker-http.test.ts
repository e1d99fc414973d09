import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@triage/config';
import { createTestDb, dropPrefix, randomPrefix, TEST_REDIS_URL, type TestDb } from '@triage/testkit';
import { openRuntime, type Runtime } from './runtime.ts';
import { createRegistry, startWorkers } from './serve.ts';
import { startWorkerHttp } from './worker-http.ts';

let tdb: TestDb;
let rt: Runtime;
const prefix = randomPrefix();
beforeAll(async () => {
  tdb = await createTestDb();
  const config = loadConfig({ DATABASE_URL: tdb.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, DATA_DIR: await mkdtemp(join(tmpdir(), 'worker-http-')), LOG_LEVEL: 'silent', MLLP_PORT: '0' });
  rt = await openRuntime(config, 'test', { embeddedRedis: false });
}, 60_000);
afterAll(async () => {
  await rt?.close();
  await dropPrefix(prefix);
  await tdb?.drop();
});

describe('worker HTTP endpoint', () => {
  it('serves liveness, readiness and this process\'s stage metrics; not ready once its workers stop', async () => {
    const registry = createRegistry();
    const workers = startWorkers(rt, registry, ['classify', 'persist'], 1);
    const http = await startWorkerHttp(rt, registry, workers, 0);
    const base = `http://127.0.0.1:${http.port}`;
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true, checks: { postgres: 'ok', redis: 'ok', workers: 'ok' } });
      expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/# TYPE triage_stage_duration_seconds histogram/);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
      expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
      await workers.stopAll();
      const after = await fetch(`${base}/readyz`);
      expect(after.status).toBe(503);
      expect(((await after.json()) as { checks: { workers: string } }).checks.workers).toMatch(/^down/);
    } finally {
      await http.close();
    }
  }, 60_000);
});
