import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@triage/testkit';
import { policyWith, startSystem, type System } from './system.ts';
import { URO_LETTER } from './letters.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));

let sys: System;
let intake: string;
let admin: string;
let reviewer: string;

beforeAll(async () => {
  // Every readable case would auto-route: the switch is the only thing that can hold one back.
  sys = await startSystem({ policy: policyWith({ urgency: 0, specialty: 0, emergentReview: 1 }, basePolicy) });
  [intake, admin, reviewer] = await Promise.all([sys.token('intake'), sys.token('admin'), sys.token('reviewer')]);
}, 120_000);
afterAll(async () => sys?.stop());

const call = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await fetch(`${sys.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as any };
};
async function decided(text: string): Promise<{ status: string; reasons: string[] }> {
  const up = await fetch(`${sys.url}/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${intake}`, 'content-type': 'text/plain' }, body: text });
  const { id } = (await up.json()) as { id: string };
  return waitFor(
    async () => {
      const d = (await call('GET', `/v1/documents/${id}`, reviewer)).body;
      return d.status === 'routed' || d.status === 'needs_review' ? { status: d.status as string, reasons: d.triage.reasons as string[] } : undefined;
    },
    { timeoutMs: 60_000, what: 'a decision' },
  );
}

describe('the pause switch', () => {
  it('sends every new decision to review while paused, and routes again once resumed', async () => {
    expect((await call('POST', '/v1/policy/pause', reviewer, { reason: 'incident 42' })).status).toBe(403);
    expect((await call('POST', '/v1/policy/pause', admin, { team: 'No Such Team', reason: 'x'.repeat(5) })).status).toBe(400);
    expect((await call('POST', '/v1/policy/pause', admin, {})).status).toBe(400);
    expect(await call('POST', '/v1/policy/pause', admin, { reason: 'incident 42' })).toMatchObject({ status: 201, body: { scope: '*', changed: true } });
    expect((await call('GET', '/v1/policy/pauses', reviewer)).body.pauses).toMatchObject([{ scope: '*', source: 'operator', reason: 'incident 42' }]);
    const held = await decided(`${URO_LETTER}\npaused copy`);
    expect(held).toMatchObject({ status: 'needs_review' });
    expect(held.reasons).toContain('policy_paused');
    expect(await (await fetch(`${sys.url}/metrics`)).text()).toMatch(/triage_routing_paused\{scope="\*",source="operator"\} 1/);
    expect(await call('POST', '/v1/policy/resume', admin, {})).toMatchObject({ status: 200, body: { changed: true } });
    expect(await decided(`${URO_LETTER}\nresumed copy`)).toMatchObject({ status: 'routed' });
    const metrics = await (await fetch(`${sys.url}/metrics`)).text();
    expect(metrics).toMatch(/triage_audit_pending_events \d+/);
  });
});
