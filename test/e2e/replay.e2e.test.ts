import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { assertNoEviction, RedisPolicyError } from '@triage/queue';
import { waitFor } from '@triage/testkit';
import { freePort, startPrivateRedis } from '../chaos/processes.ts';
import { policyWith, startSystem, type System } from './system.ts';
import { URO_LETTER } from './letters.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));

let sys: System;
let intake: string;
let admin: string;

beforeAll(async () => {
  sys = await startSystem({ policy: policyWith({ urgency: 0, specialty: 0, emergentReview: 1 }, basePolicy) });
  intake = await sys.token('intake');
  admin = await sys.token('admin');
}, 120_000);
afterAll(async () => sys?.stop());

const call = async (method: string, path: string, token: string, body?: unknown, contentType = 'application/json') => {
  const res = await fetch(`${sys.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};
const until = (id: string, pred: (d: any) => boolean) =>
  waitFor(async () => {
    const r = await call('GET', `/v1/documents/${id}`, admin);
    return pred(r.body) ? r.body : undefined;
  }, { timeoutMs: 60_000, what: `document ${id}` });

describe('dead letters and replay', () => {
  it('a corrupt PDF fails with a typed reason, is listed, and a replay adds to its history', async () => {
    const corrupt = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n%%truncated');
    const up = await call('POST', '/v1/documents', intake, corrupt, 'application/pdf');
    expect(up.status).toBe(202);
    const failed = await until(up.body.id, (d) => d.status === 'failed');
    expect(failed.error.reason).toBe('unreadable');

    const list = await call('GET', '/v1/failures?reason=unreadable', admin);
    expect(list.body.failures.map((f: { id: string }) => f.id)).toContain(up.body.id);
    expect((await call('GET', '/v1/failures', intake)).status).toBe(403);

    const replay = await call('POST', `/v1/documents/${up.body.id}/replay`, admin, {});
    expect(replay).toMatchObject({ status: 202, body: { run: 2, fromStage: 'extract' } });
    await until(up.body.id, (d) => d.status === 'failed');
    const events = (await call('GET', `/v1/documents/${up.body.id}/provenance`, admin)).body.events;
    const runs = events.filter((e: any) => e.type === 'attempt').map((e: any) => e.run);
    expect(runs).toContain(1);
    expect(runs).toContain(2);
  });

  it('replaying a routed referral from classify never sends a second email', async () => {
    const up = await call('POST', '/v1/documents', intake, `${URO_LETTER}\nreplay case`, 'text/plain');
    await until(up.body.id, (d) => d.status === 'routed');
    const before = sys.smtp.messages.length;
    const replay = await call('POST', `/v1/documents/${up.body.id}/replay`, admin, { fromStage: 'classify' });
    expect(replay.body).toMatchObject({ run: 2, fromStage: 'classify' });
    await until(up.body.id, (d) => d.status === 'routed');
    const events = (await call('GET', `/v1/documents/${up.body.id}/provenance`, admin)).body.events;
    expect(events.filter((e: any) => e.stage === 'notify' && e.run === 2 && e.outcome === 'succeeded')).toHaveLength(1);
    expect(sys.smtp.messages.length).toBe(before);
  });

  it('rejects a replay from an unknown stage', async () => {
    const r = await call('POST', `/v1/documents/00000000-0000-4000-8000-000000000000/replay`, admin, { fromStage: 'teleport' });
    expect(r.status).toBe(400);
  });
});

describe('startup checks', () => {
  it('refuses a Redis whose eviction policy could drop jobs', async () => {
    // A private Redis: flipping the shared one's policy would trip other tests' startup checks.
    const port = await freePort();
    const server = await startPrivateRedis(port);
    const r = new Redis(`redis://127.0.0.1:${port}`);
    try {
      await r.config('SET', 'maxmemory-policy', 'allkeys-lru');
      await expect(assertNoEviction(r)).rejects.toBeInstanceOf(RedisPolicyError);
      await expect(assertNoEviction(r)).rejects.toThrow(/noeviction/);
    } finally {
      r.disconnect();
      server.kill();
    }
    await expect(assertNoEviction(sys.rt.producer)).resolves.toBeUndefined();
  });
});
