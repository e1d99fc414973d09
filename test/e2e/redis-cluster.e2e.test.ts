import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@triage/config';
import { startRedisCluster, waitFor, type TestRedisCluster } from '@triage/testkit';
import { policyWith, startSystem, type System } from './system.ts';
import { URO_LETTER } from './letters.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));
const TAG = `{e2e${Math.random().toString(36).slice(2, 8)}}`;

let cluster: TestRedisCluster;
let sys: System;
beforeAll(async () => {
  cluster = await startRedisCluster();
  sys = await startSystem({ policy: policyWith({ urgency: 0, specialty: 0, emergentReview: 1 }, basePolicy), env: { REDIS_URL: cluster.url, QUEUE_PREFIX: TAG } });
}, 120_000);
afterAll(async () => {
  await sys?.stop();
  await cluster?.stop();
});

describe('Redis Cluster', () => {
  it('refuses a cluster URL without a hash tag in QUEUE_PREFIX', () => {
    expect(() => loadConfig({ REDIS_URL: cluster.url, QUEUE_PREFIX: 'triage' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: cluster.url, QUEUE_PREFIX: '{triage}' })).not.toThrow();
    expect(() => loadConfig({ QUEUE_PREFIX: '{a}{b}' })).toThrow(ConfigError);
  });

  it('runs the whole pipeline on a real 3-node cluster: upload to routed, readiness canary answered', async () => {
    const intake = await sys.token('intake');
    const reviewer = await sys.token('reviewer');
    const up = await fetch(`${sys.url}/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${intake}`, 'content-type': 'text/plain' }, body: URO_LETTER });
    const { id } = (await up.json()) as { id: string };
    const doc = await waitFor(
      async () => {
        const d = (await (await fetch(`${sys.url}/v1/documents/${id}`, { headers: { authorization: `Bearer ${reviewer}` } })).json()) as { status: string };
        return d.status === 'routed' ? d : undefined;
      },
      { timeoutMs: 60_000, what: 'routing on the cluster' },
    );
    expect(doc.status).toBe('routed');
    const ready = (await (await fetch(`${sys.url}/readyz?canary=1`)).json()) as { checks: Record<string, string> };
    expect(ready.checks).toMatchObject({ redis: 'ok', workers: 'ok' });
    // Every queue key lives in the hash tag's slot, on one primary.
    const slot = spawnSync('redis-cli', ['-p', String(cluster.ports[0]), 'cluster', 'keyslot', TAG], { encoding: 'utf8' }).stdout.trim();
    const keys = cluster.ports.flatMap((p) => spawnSync('redis-cli', ['-p', String(p), '--scan', '--pattern', `${TAG}*`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean));
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys.slice(0, 20)) expect(spawnSync('redis-cli', ['-p', String(cluster.ports[0]), 'cluster', 'keyslot', k], { encoding: 'utf8' }).stdout.trim()).toBe(slot);
  }, 120_000);
});
