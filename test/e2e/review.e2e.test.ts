import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { schema, verifyAuditChain } from '@triage/db';
import { waitFor } from '@triage/testkit';
import { reviewEverything, startSystem, type System } from './system.ts';
import { CARDIO_LETTER, URO_LETTER } from './letters.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));

let sys: System;
let intake: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  // Thresholds at one: nothing is confident enough, every case goes to a person.
  sys = await startSystem({ policy: reviewEverything(basePolicy), env: { MAX_UPLOAD_BYTES: '100000' } });
  intake = await sys.token('intake');
  alice = await sys.token('reviewer', 'alice');
  bob = await sys.token('reviewer', 'bob');
}, 120_000);
afterAll(async () => sys?.stop());

const api = async (path: string, token: string, init: RequestInit = {}) => {
  const res = await fetch(`${sys.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};
const post = (path: string, token: string, body: unknown) =>
  api(path, token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const uploadText = (text: string, token = intake) =>
  api('/v1/documents', token, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text });

async function status(id: string, want: string) {
  return waitFor(
    async () => {
      const r = await api(`/v1/documents/${id}`, alice);
      return r.body.status === want ? r.body : undefined;
    },
    { timeoutMs: 60_000, what: `document ${id} to be ${want}` },
  );
}

describe('review queue', () => {
  it('a reviewer claims, corrects, and the referral is routed and emailed exactly once', async () => {
    const { body } = await uploadText(CARDIO_LETTER);
    const doc = await status(body.id, 'needs_review');
    expect(doc.triage.decision).toBe('review');
    expect(doc.triage.reasons).toContain('low_specialty_confidence');
    expect(doc.triage.reasons.some((r: string) => r === 'possible_emergent' || r === 'emergent_referral')).toBe(true);

    const tasks = await api('/v1/review/tasks?status=open', alice);
    const task = tasks.body.tasks.find((t: { documentId: string }) => t.documentId === body.id);
    expect(task).toBeTruthy();

    expect((await post(`/v1/review/tasks/${task.id}/claim`, alice, {})).status).toBe(200);
    const taken = await post(`/v1/review/tasks/${task.id}/claim`, bob, {});
    expect(taken.status).toBe(409);
    expect(taken.body.error.heldBy).toBe('alice');
    const sneaky = await post(`/v1/review/tasks/${task.id}/decision`, bob, { action: 'confirm' });
    expect(sneaky.status).toBe(409);

    const bad = await post(`/v1/review/tasks/${task.id}/decision`, alice, { action: 'correct', urgency: 'soon', specialty: 'Urology' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/urgency/);

    const ok = await post(`/v1/review/tasks/${task.id}/decision`, alice, {
      action: 'correct',
      urgency: 'urgent',
      specialty: 'Cardiovascular / Pulmonary',
      reason: 'wrong_specialty',
    });
    expect(ok.status).toBe(202);
    const routed = await status(body.id, 'routed');
    expect(routed.triage).toMatchObject({ decidedBy: 'reviewer', urgency: { label: 'urgent' }, specialty: { label: 'Cardiovascular / Pulmonary' } });
    const team = basePolicy.teams['Cardiovascular / Pulmonary'].email;
    const mails = await waitFor(async () => {
      const m = sys.smtp.messages.filter((x) => x.to.includes(team));
      return m.length ? m : undefined;
    });
    expect(mails).toHaveLength(1);
    const again = await post(`/v1/review/tasks/${task.id}/decision`, alice, { action: 'confirm' });
    expect(again.status).toBe(409);
    await new Promise((r) => setTimeout(r, 500));
    expect(sys.smtp.messages.filter((x) => x.to.includes(team))).toHaveLength(1);

    // Both decisions are on the audit trail, with the versions that made them, in one intact chain.
    const db = sys.rt.dbh.db;
    const events = (await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.documentId, body.id))).map((e) => [e.action, e.detail]);
    const model = events.filter(([a]) => a === 'model_decided');
    expect(model).toHaveLength(1);
    expect(model[0]![1]).toMatchObject({ decision: 'review', modelVersion: doc.triage.modelVersion, policyVersion: expect.any(String) });
    const applied = events.filter(([a]) => a === 'review_applied');
    expect(applied).toHaveLength(1);
    expect(applied[0]![1]).toMatchObject({ action: 'correct', reason: 'wrong_specialty', state: 'routed', urgency: 'urgent', specialty: 'Cardiovascular / Pulmonary' });
    expect(events.map(([a]) => a)).toEqual(expect.arrayContaining(['review_claimed', 'review_decided']));
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('a rejection ends the document as rejected with no email', async () => {
    const before = sys.smtp.messages.length;
    const { body } = await uploadText(URO_LETTER);
    await status(body.id, 'needs_review');
    const tasks = await api('/v1/review/tasks?status=open', alice);
    const task = tasks.body.tasks.find((t: { documentId: string }) => t.documentId === body.id);
    await post(`/v1/review/tasks/${task.id}/claim`, alice, {});
    expect((await post(`/v1/review/tasks/${task.id}/decision`, alice, { action: 'reject', reason: 'not_a_referral' })).status).toBe(202);
    await status(body.id, 'rejected');
    expect(sys.smtp.messages.length).toBe(before);
  });
});

describe('intake and access', () => {
  it('refuses missing, invalid and wrong-role tokens', async () => {
    expect((await fetch(`${sys.url}/v1/documents`, { method: 'POST', body: 'x' })).status).toBe(401);
    expect((await uploadText('hello', 'trt_not-a-real-token')).status).toBe(401);
    const asReviewer = await uploadText(CARDIO_LETTER, alice);
    expect(asReviewer.status).toBe(403);
    expect((await api('/v1/review/tasks', intake)).status).toBe(403);
  });

  it('answers bad documents with precise 4xx codes', async () => {
    const empty = await api('/v1/documents', intake, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: '' });
    expect(empty).toMatchObject({ status: 400, body: { error: { code: 'empty_body' } } });
    const garbage = await api('/v1/documents', intake, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x13, 0x37]),
    });
    expect(garbage).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
    const lying = await api('/v1/documents', intake, { method: 'POST', headers: { 'content-type': 'image/png' }, body: Buffer.from('PK\x03\x04zipfile') });
    expect(lying.status).toBe(415);
    const huge = await api('/v1/documents', intake, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'a'.repeat(200_000) });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    const badKey = await api('/v1/documents', intake, { method: 'POST', headers: { 'content-type': 'text/plain', 'idempotency-key': 'has space' }, body: 'letter' });
    expect(badKey.status).toBe(400);
  });

  it('keeps a verifiable audit trail that only auditors and admins can check', async () => {
    const auditor = await sys.token('auditor');
    const v = await api('/v1/audit/verify', auditor);
    expect(v.status).toBe(200);
    expect(v.body.ok).toBe(true);
    expect(v.body.events).toBeGreaterThan(5);
    expect((await api('/v1/audit/verify', alice)).status).toBe(403);
    expect((await uploadText('auditors cannot upload', auditor)).status).toBe(403);
  });

  it('keeps intake tokens to their own documents', async () => {
    const { body } = await uploadText(`${CARDIO_LETTER}\nprivate copy`);
    const other = await sys.token('intake', 'other-clinic');
    expect((await api(`/v1/documents/${body.id}`, other)).status).toBe(404);
    expect((await api(`/v1/documents/${body.id}`, intake)).status).toBe(200);
    expect((await api('/v1/documents/not-a-uuid', intake)).status).toBe(400);
  });

  it('serves health, readiness and metrics', async () => {
    expect((await fetch(`${sys.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${sys.url}/readyz`);
    expect(ready.status).toBe(200);
    const deep = await fetch(`${sys.url}/readyz?canary=1`);
    expect(deep.status).toBe(200);
    expect(((await deep.json()) as { checks: Record<string, string> }).checks.workers).toBe('ok');
    const metrics = await (await fetch(`${sys.url}/metrics`)).text();
    expect(metrics).toMatch(/triage_queue_jobs\{stage="extract",state="waiting"\}/);
    expect(metrics).toMatch(/triage_stage_duration_seconds_bucket\{le="[^"]+",stage="classify"\}/);
    expect(metrics).toMatch(/triage_documents\{status="needs_review"\}/);
    expect(metrics).toMatch(/triage_stage_backlog\{stage="ocr"\} \d+/);
    expect(metrics).toMatch(/triage_queue_oldest_age_seconds\{stage="extract"\} [\d.]+/);
  });
});

describe('red flags', () => {
  it('raises a stroke letter to emergent and records the rule as a reason with its evidence', async () => {
    const letter = 'Referral: 70-year-old man with sudden onset left-sided weakness, facial droop and slurred speech this morning.';
    const { body } = await uploadText(letter);
    const doc = await status(body.id, 'needs_review');
    expect(doc.triage.urgency.label).toBe('emergent');
    expect(doc.triage.reasons).toContain('red_flag:stroke');
    const hit = doc.triage.redFlags.find((h: { ruleId: string }) => h.ruleId === 'stroke');
    expect(letter.slice(hit.start, hit.end).toLowerCase()).toBe(hit.term.toLowerCase());
  });
});
