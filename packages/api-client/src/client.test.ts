import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from './index.ts';

type Call = { url: string; init: RequestInit };

/** A fetch that answers one response per call and records what the client sent. */
function recorder(...answers: { status: number; body?: unknown; statusText?: string }[]) {
  const calls: Call[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const a = answers.shift() ?? { status: 500 };
    const text = a.body === undefined ? null : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
    return new Response(text, { status: a.status, ...(a.statusText ? { statusText: a.statusText } : {}) });
  };
  return { calls, fetch };
}
const headers = (c: Call | undefined) => c?.init.headers as Record<string, string>;

describe('the typed fetch client', () => {
  it('fills path parameters (encoded), keeps the query order, drops undefined values and sends the bearer token', async () => {
    const { calls, fetch } = recorder({ status: 200, body: { now: 'n', sla: {}, tasks: [] } }, { status: 200, body: {} });
    const api = createApiClient({ baseUrl: 'http://triage.test/', token: 'trt_x', fetch });
    expect(await api.get('/v1/review/tasks', { query: { status: 'open', team: undefined, urgency: 'urgent' } })).toEqual({ now: 'n', sla: {}, tasks: [] });
    await api.get('/v1/review/tasks/{id}', { path: { id: 'a b/c' } });
    expect(calls.map((c) => c.url)).toEqual(['http://triage.test/v1/review/tasks?status=open&urgency=urgent', 'http://triage.test/v1/review/tasks/a%20b%2Fc']);
    expect(headers(calls[0])).toEqual({ accept: 'application/json', authorization: 'Bearer trt_x' });
    expect(calls[0]!.init).toMatchObject({ method: 'GET', credentials: 'same-origin', body: undefined });
  });

  it('sends JSON bodies, raw uploads with their type, extra headers and keepalive; a 204 answers undefined', async () => {
    const { calls, fetch } = recorder({ status: 202, body: { taskId: 't' } }, { status: 202, body: { id: 'd', status: 'received' } }, { status: 204 });
    const api = createApiClient({ credentials: 'include', fetch });
    await api.post('/v1/review/tasks/{id}/decision', { path: { id: 't' }, json: { action: 'confirm' }, headers: { 'x-csrf-token': 'c' } });
    expect(calls[0]!.init.body).toBe('{"action":"confirm"}');
    expect(headers(calls[0])).toEqual({ accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': 'c' });
    expect(calls[0]!.init.credentials).toBe('include');
    const bytes = new Uint8Array([37, 80, 68, 70]);
    expect(await api.post('/v1/documents', { body: bytes, contentType: 'application/pdf' })).toEqual({ id: 'd', status: 'received' });
    expect(calls[1]!.init.body).toBe(bytes);
    expect(headers(calls[1])!['content-type']).toBe('application/pdf');
    expect(await api.post('/v1/review/tasks/{id}/release', { path: { id: 't' }, json: {}, keepalive: true })).toBeUndefined();
    expect(calls[2]!.init.keepalive).toBe(true);
  });

  it('throws ApiError with the status, the body and the API error picked apart; a foreign body still has a code', async () => {
    const held = { error: { code: 'conflict', message: 'held', heldBy: 'bob', until: 'T' } };
    const { fetch } = recorder({ status: 409, body: held }, { status: 502, body: '<html>bad gateway</html>', statusText: 'Bad Gateway' });
    const api = createApiClient({ fetch });
    const e = await api.post('/v1/review/tasks/{id}/claim', { path: { id: 't' } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 409, code: 'conflict', message: 'held', extra: { heldBy: 'bob', until: 'T' }, body: held });
    await expect(api.get('/healthz')).rejects.toMatchObject({ status: 502, code: 'http_502', message: 'Bad Gateway', body: '<html>bad gateway</html>' });
  });

  it('is typed by the generated paths (checked by the typecheck)', async () => {
    const { fetch } = recorder({ status: 200, body: { principal: { name: 'a', role: 'reviewer' }, csrfToken: 'c', expiresAt: 'e' } });
    const api = createApiClient({ fetch });
    const session = await api.post('/v1/session', { json: { token: 'trt_x' } });
    const role: 'intake' | 'reviewer' | 'admin' | 'auditor' = session.principal.role;
    expect(role).toBe('reviewer');
    const never = async () => {
      // @ts-expect-error a path with parameters needs them
      await api.get('/v1/review/tasks/{id}');
      // @ts-expect-error no such route
      await api.get('/v1/nope');
      // @ts-expect-error not a decision
      await api.post('/v1/review/tasks/{id}/decision', { path: { id: 't' }, json: { action: 'approve' } });
      // @ts-expect-error not a type the upload takes
      await api.post('/v1/documents', { body: new Uint8Array(1), contentType: 'application/zip' });
      // @ts-expect-error not a queue status
      await api.get('/v1/review/tasks', { query: { status: 'closed' } });
    };
    expect(typeof never).toBe('function');
  });
});
