import { describe, expect, it } from 'vitest';
import { ApiFailure, createApi } from './api.ts';

type Call = { url: string; init: RequestInit };

/** A fetch that answers from a table and records what the client sent (the client under test is real). */
function recorder(answers: Record<string, { status: number; body?: unknown }>) {
  const calls: Call[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const key = `${init.method} ${url.split('?')[0]}`;
    const a = answers[key] ?? { status: 404, body: { error: { code: 'not_found', message: 'no' } } };
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status });
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

const session = { principal: { name: 'alice', role: 'reviewer' }, csrfToken: 'csrf-123', expiresAt: '2026-12-01T20:00:00Z' };
const header = (c: Call | undefined, name: string) => (c?.init.headers as Record<string, string> | undefined)?.[name];

describe('review API client', () => {
  it('sends the CSRF token from sign-in on writes only, never the bearer token', async () => {
    const { calls, fetchImpl } = recorder({
      'POST /v1/session': { status: 200, body: session },
      'GET /v1/review/tasks': { status: 200, body: { now: '', sla: {}, tasks: [] } },
      'POST /v1/review/tasks/t1/claim': { status: 200, body: { id: 't1', documentId: 'd1', claimExpiresAt: '', reasons: [] } },
      'POST /v1/review/tasks/t1/release': { status: 204 },
    });
    const api = createApi('', fetchImpl);
    await api.tasks();
    expect(header(calls[0], 'x-csrf-token')).toBeUndefined();
    await api.signIn('trt_secret');
    expect(JSON.parse(String(calls[1]!.init.body))).toEqual({ token: 'trt_secret' });
    await api.tasks({ urgency: 'urgent', team: '' });
    expect(calls[2]!.url).toBe('/v1/review/tasks?status=open&urgency=urgent');
    expect(header(calls[2], 'x-csrf-token')).toBeUndefined();
    await api.claim('t1');
    expect(header(calls[3], 'x-csrf-token')).toBe('csrf-123');
    await api.release('t1', true);
    expect(calls[4]!.init.keepalive).toBe(true);
    expect(header(calls[4], 'x-csrf-token')).toBe('csrf-123');
    for (const c of calls) {
      expect(header(c, 'authorization')).toBeUndefined();
      expect(c.init.credentials).toBe('same-origin');
    }
  });

  it('turns the error shape into ApiFailure with its extra fields, and reports lost sessions', async () => {
    const { fetchImpl } = recorder({
      'POST /v1/review/tasks/t1/claim': { status: 409, body: { error: { code: 'conflict', message: 'held', heldBy: 'bob', until: 'T' } } },
      'GET /v1/review/tasks': { status: 401, body: { error: { code: 'unauthorized', message: 'no session' } } },
      'POST /v1/session': { status: 401, body: { error: { code: 'unauthorized', message: 'bad token' } } },
    });
    const api = createApi('', fetchImpl);
    let lost = 0;
    api.onUnauthorized(() => lost++);
    const e = await api.claim('t1').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiFailure);
    expect(e).toMatchObject({ status: 409, code: 'conflict', extra: { heldBy: 'bob', until: 'T' } });
    await expect(api.tasks()).rejects.toMatchObject({ status: 401 });
    expect(lost).toBe(1);
    // A wrong token at sign-in is the form's business, not a lost session.
    await expect(api.signIn('nope')).rejects.toMatchObject({ status: 401 });
    expect(lost).toBe(1);
  });

  it('hands back held claims before ending the session', async () => {
    const { calls, fetchImpl } = recorder({
      'POST /v1/session': { status: 200, body: session },
      'DELETE /v1/session': { status: 204 },
      'POST /v1/review/tasks/t1/claim': { status: 200, body: {} },
      'POST /v1/review/tasks/t2/claim': { status: 200, body: {} },
      'POST /v1/review/tasks/t1/release': { status: 204 },
      'POST /v1/review/tasks/t2/decision': { status: 202, body: {} },
    });
    const api = createApi('', fetchImpl);
    await api.signIn('trt_x');
    await api.claim('t1');
    await api.claim('t2');
    await api.decide('t2', { action: 'confirm' });
    await api.signOut();
    expect(calls.slice(4).map((c) => `${c.init.method} ${c.url}`)).toEqual(['POST /v1/review/tasks/t1/release', 'DELETE /v1/session']);
  });

  it('forgets the CSRF token on sign-out', async () => {
    const { calls, fetchImpl } = recorder({
      'POST /v1/session': { status: 200, body: session },
      'DELETE /v1/session': { status: 204 },
      'POST /v1/review/tasks/t1/claim': { status: 200, body: {} },
    });
    const api = createApi('', fetchImpl);
    await api.signIn('trt_x');
    await api.signOut();
    expect(header(calls[1], 'x-csrf-token')).toBe('csrf-123');
    await api.claim('t1');
    expect(header(calls[2], 'x-csrf-token')).toBeUndefined();
  });

  it('posts field corrections and information requests with the CSRF token; the queue filter can ask for waiting tasks', async () => {
    const { calls, fetchImpl } = recorder({
      'POST /v1/session': { status: 200, body: session },
      'POST /v1/review/tasks/t1/fields': { status: 200, body: { fields: {}, missing: [], conflicts: [] } },
      'POST /v1/review/tasks/t1/request-information': { status: 200, body: { id: 't1', status: 'information_requested' } },
      'GET /v1/review/tasks': { status: 200, body: { now: '', sla: {}, tasks: [] } },
    });
    const api = createApi('', fetchImpl);
    await api.signIn('trt_x');
    await api.correctField('t1', 'birthDate', null);
    expect(JSON.parse(String(calls[1]!.init.body))).toEqual({ field: 'birthDate', value: null });
    expect(header(calls[1], 'x-csrf-token')).toBe('csrf-123');
    expect(await api.requestInformation('t1')).toEqual({ id: 't1', status: 'information_requested' });
    expect(header(calls[2], 'x-csrf-token')).toBe('csrf-123');
    await api.tasks({ status: 'information_requested' });
    expect(calls[3]!.url).toBe('/v1/review/tasks?status=information_requested');
    expect(api.informationRequestUrl('d 1')).toBe('/v1/documents/d%201/information-request.pdf');
  });
});
