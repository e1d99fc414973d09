import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApiClient, type ApiClient } from '@triage/api-client';
import { makeScanPng } from '@triage/documents';
import { waitFor } from '@triage/testkit';
import * as responses from '../../apps/api/src/routes/responses.ts';
import { CARDIO_LETTER, SCAN_TEXT } from './letters.ts';
import { reviewEverything, startSystem, type System } from './system.ts';

// The review flow as the UI and the CLI drive it, through the typed client, against the real pipeline; every answer
// must parse with the response schema the OpenAPI document (and so the generated types) is built from.

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));

let sys: System;
let intake: ApiClient;
let alice: ApiClient;
let bob: ApiClient;
let aliceToken: string;

beforeAll(async () => {
  sys = await startSystem({ policy: reviewEverything(basePolicy) });
  aliceToken = await sys.token('reviewer', 'alice');
  intake = createApiClient({ baseUrl: sys.url, token: await sys.token('intake') });
  alice = createApiClient({ baseUrl: sys.url, token: aliceToken });
  bob = createApiClient({ baseUrl: sys.url, token: await sys.token('reviewer', 'bob') });
}, 120_000);
afterAll(async () => sys?.stop());

/** Strict: a field the route adds or drops without its schema fails here. */
type Schema<T> = { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } };
const holds = <T>(schema: Schema<T>, answer: unknown): T => {
  const r = schema.safeParse(answer);
  if (!r.success) expect.fail(`${r.error.message}\n${JSON.stringify(answer)}`);
  return r.data;
};
const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ApiError);
  holds(responses.apiErrorBody, (e as ApiError).body);
  return e as ApiError;
};

/** The document once it is `want`; fails fast, with the pipeline's reason, if it fails instead. */
async function statusOf(id: string, want: string) {
  const d = await waitFor(
    async () => {
      const d = await alice.get('/v1/documents/{id}', { path: { id } });
      return d.status === want || d.status === 'failed' ? d : undefined;
    },
    { timeoutMs: 90_000, what: `document ${id} to be ${want}` },
  );
  expect(d.status, JSON.stringify(d.error)).toBe(want);
  return d;
}

describe('the typed client against the served routes', () => {
  it('answers every step of intake and review in the shape the OpenAPI document gives', async () => {
    const bytes = Buffer.from(CARDIO_LETTER);
    const up = holds(responses.uploadAccepted, await intake.post('/v1/documents', { body: bytes, contentType: 'application/octet-stream' }));
    holds(responses.uploadDuplicate, await intake.post('/v1/documents', { body: bytes, contentType: 'text/plain' }));
    expect((await refusal(intake.post('/v1/documents', { body: Buffer.alloc(0), contentType: 'application/octet-stream' }))).status).toBe(400);

    const doc = holds(responses.documentView, await statusOf(up.id, 'needs_review'));
    expect(doc.triage?.decision).toBe('review');
    expect(doc.fields).toBeTruthy();

    holds(responses.sessionInfo, await alice.post('/v1/session', { json: { token: aliceToken } }));
    const list = holds(responses.taskList, await alice.get('/v1/review/tasks', { query: { status: 'open' } }));
    const task = list.tasks.find((t) => t.documentId === up.id)!;
    expect(task).toBeTruthy();
    const id = { path: { id: task.id } };
    const detail = holds(responses.caseDetail, await alice.get('/v1/review/tasks/{id}', id));
    expect(detail.document.pages.length).toBeGreaterThan(0);
    expect(detail.basis).not.toBeNull();

    holds(responses.claimResult, await alice.post('/v1/review/tasks/{id}/claim', { ...id, json: {} }));
    const held = await refusal(bob.post('/v1/review/tasks/{id}/claim', { ...id, json: {} }));
    expect(held).toMatchObject({ status: 409, code: 'conflict', extra: { heldBy: 'alice' } });
    expect(await alice.post('/v1/review/tasks/{id}/release', { ...id, json: {} })).toBeUndefined();
    holds(responses.claimResult, await alice.post('/v1/review/tasks/{id}/claim', { ...id, json: {} }));

    const fixed = holds(responses.fieldsUpdate, await alice.post('/v1/review/tasks/{id}/fields', { ...id, json: { field: 'referrerFax', value: '555 0100' } }));
    expect(fixed.fields.referrerFax).toMatchObject({ value: '555 0100', source: 'reviewer' });
    expect((await refusal(alice.post('/v1/review/tasks/{id}/fields', { ...id, json: { field: 'birthDate', value: 'yesterday' } }))).code).toBe('invalid_request');
    holds(responses.informationState, await alice.post('/v1/review/tasks/{id}/request-information', { ...id, json: {} }));
    holds(responses.informationState, await alice.post('/v1/review/tasks/{id}/information-received', { ...id, json: {} }));

    holds(responses.decisionAccepted, await alice.post('/v1/review/tasks/{id}/decision', { ...id, json: { action: 'confirm', reason: 'prediction_correct' } }));
    const routed = holds(responses.documentView, await statusOf(up.id, 'routed'));
    expect(routed.triage?.decidedBy).toBe('reviewer');
    holds(responses.taskList, await alice.get('/v1/review/tasks', { query: { status: 'decided' } }));
    holds(responses.reviewStats, await alice.get('/v1/review/stats'));
    expect((await refusal(alice.get('/v1/review/tasks/{id}', { path: { id: '00000000-0000-4000-8000-000000000000' } }))).status).toBe(404);
    expect((await refusal(createApiClient({ baseUrl: sys.url }).get('/v1/review/tasks'))).status).toBe(401);
  }, 240_000);

  it('a scanned page answers with its OCR layout and boxed field evidence in the same shapes', async () => {
    const png = await makeScanPng(SCAN_TEXT, 90);
    const up = holds(responses.uploadAccepted, await intake.post('/v1/documents', { body: png, contentType: 'image/png' }));
    holds(responses.documentView, await statusOf(up.id, 'needs_review'));
    const task = (await alice.get('/v1/review/tasks')).tasks.find((t) => t.documentId === up.id)!;
    const detail = holds(responses.caseDetail, await alice.get('/v1/review/tasks/{id}', { path: { id: task.id } }));
    expect(detail.document.pages[0]?.layout).toBeTruthy();
    expect(Object.values(detail.fields ?? {}).some((f) => f?.evidence.some((e) => e.box))).toBe(true);
  }, 240_000);
});
