import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { sampleAutoRouted, schema, verifyAuditChain } from '@triage/db';
import { waitFor } from '@triage/testkit';
import { policyWith, startSystem, type System } from './system.ts';
import { ORTHO_LETTER, URO_LETTER } from './letters.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));

let sys: System;
let intake: string;
let alice: string;
let admin: string;

beforeAll(async () => {
  // Every readable case auto-routes: the audit sample is the only person who sees them.
  sys = await startSystem({ policy: policyWith({ urgency: 0, specialty: 0, emergentReview: 1 }, basePolicy) });
  intake = await sys.token('intake');
  alice = await sys.token('reviewer', 'alice');
  admin = await sys.token('admin');
}, 120_000);
afterAll(async () => sys?.stop());

const api = async (path: string, token: string, init: RequestInit = {}) => {
  const res = await fetch(`${sys.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
};
const post = (path: string, token: string, body: unknown) =>
  api(path, token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function routed(text: string): Promise<{ id: string; team: string }> {
  const up = await api('/v1/documents', intake, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text });
  return waitFor(
    async () => {
      const r = await api(`/v1/documents/${up.body.id}`, alice);
      return r.body.status === 'routed' ? { id: up.body.id as string, team: r.body.triage.team as string } : undefined;
    },
    { timeoutMs: 60_000, what: 'the letter to auto-route' },
  );
}

describe('audit samples of auto-routed referrals', () => {
  it('sends a share to a second look; a correction re-routes with one email; nothing is sampled twice; the rates are live', async () => {
    const uro = await routed(URO_LETTER);
    const ortho = await routed(ORTHO_LETTER);
    const db = sys.rt.dbh.db;
    const since = new Date(Date.now() - 3_600_000);
    const first = await sampleAutoRouted(db, { since, rate: 1, actor: 'cli:test' });
    expect(first).toMatchObject({ eligible: 2, sampled: 2 });
    expect(await sampleAutoRouted(db, { since, rate: 1, actor: 'cli:test' })).toMatchObject({ eligible: 0, sampled: 0 });

    const tasks = (await api('/v1/review/tasks?status=open', alice)).body.tasks as Array<{ id: string; documentId: string; reasons: string[] }>;
    const uroTask = tasks.find((t) => t.documentId === uro.id)!;
    const orthoTask = tasks.find((t) => t.documentId === ortho.id)!;
    expect(uroTask.reasons).toEqual(['audit_sample']);

    // The auditor says the urology letter belongs to another team: it is re-routed, with exactly one new email.
    const target = uro.team === 'Nephrology' ? 'Urology' : 'Nephrology';
    const email = basePolicy.teams[target].email as string;
    expect((await post(`/v1/review/tasks/${uroTask.id}/claim`, alice, {})).status).toBe(200);
    expect((await post(`/v1/review/tasks/${uroTask.id}/decision`, alice, { action: 'correct', urgency: 'urgent', specialty: target, reason: 'wrong_specialty' })).status).toBe(202);
    const mails = await waitFor(async () => {
      const m = sys.smtp.messages.filter((x) => x.to.includes(email));
      return m.length ? m : undefined;
    });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/Re-routed referral/);
    const doc = await waitFor(async () => {
      const r = await api(`/v1/documents/${uro.id}`, alice);
      return r.body.status === 'routed' && r.body.triage.specialty.label === target ? r.body : undefined;
    });
    expect(doc.triage).toMatchObject({ decision: 'auto', decidedBy: 'reviewer', team: target });
    expect((await post(`/v1/review/tasks/${uroTask.id}/decision`, alice, { action: 'confirm' })).status).toBe(409);

    // The orthopaedic one was right.
    expect((await post(`/v1/review/tasks/${orthoTask.id}/claim`, alice, {})).status).toBe(200);
    expect((await post(`/v1/review/tasks/${orthoTask.id}/decision`, alice, { action: 'confirm', reason: 'prediction_correct' })).status).toBe(202);
    await waitFor(async () => {
      const [r] = await db.select().from(schema.referrals).where(eq(schema.referrals.documentId, ortho.id));
      return r?.decidedBy.startsWith('reviewer:') ? r : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(sys.smtp.messages.filter((x) => x.to.includes(email))).toHaveLength(1);

    const stats = (await api('/v1/review/stats', admin)).body;
    expect(stats.noTouch).toMatchObject({ modelDecided: 2, autoRouted: 2, rate: 1 });
    expect(stats.auditOverride).toEqual({ audited: 2, overridden: 1, rate: 0.5 });
    expect((await api('/v1/review/stats?since=yesterday', admin)).status).toBe(400);
    const metrics = (await api('/metrics', admin)).body as string;
    expect(metrics).toMatch(/^triage_audit_override_ratio 0\.5$/m);
    expect(metrics).toMatch(/^triage_no_touch_ratio 1$/m);
    const actions = (await db.select().from(schema.auditEvents)).map((e) => e.action);
    expect(actions.filter((a) => a === 'audit_sampled')).toHaveLength(2);
    expect(actions.filter((a) => a === 'audit_sample_applied')).toHaveLength(2);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});
