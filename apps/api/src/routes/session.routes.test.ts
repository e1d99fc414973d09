import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '@triage/db';
import { createTestDb, type TestDb } from '@triage/testkit';
import { buildServer, type ApiDeps } from '../server.ts';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(async () => tdb?.drop());

const server = (extra: Partial<ApiDeps>) =>
  buildServer({ db: tdb.db, log: pino({ level: 'silent' }), registry: new Registry(), maxUploadBytes: 1000, reviewLeaseMs: 1000, ...extra } as ApiDeps);

describe('session cookie flags and lifetime', () => {
  it('marks the cookie Secure behind a TLS proxy and uses SESSION_TTL_MS for its lifetime', async () => {
    const app = await server({ behindTlsProxy: true, sessionTtlMs: 120_000 });
    const { token } = await createToken(tdb.db, { role: 'reviewer', name: 'dana' });
    const before = Date.now();
    const r = await app.inject({ method: 'POST', url: '/v1/session', payload: { token } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['set-cookie']).toMatch(/; HttpOnly; SameSite=Strict; Path=\/; Max-Age=120; Secure$/);
    expect(r.headers['cache-control']).toBe('no-store');
    const expires = new Date(r.json().expiresAt).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 120_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 120_000 + 1000);
    await app.close();
  });

  it('a session past SESSION_TTL_MS is refused', async () => {
    // Long enough that the first read (one in-process request) is surely inside it; then wait past the expiry the
    // server itself stated, rather than guessing how long the two requests take.
    const app = await server({ sessionTtlMs: 3000 });
    const { token } = await createToken(tdb.db, { role: 'reviewer', name: 'erin' });
    const r = await app.inject({ method: 'POST', url: '/v1/session', payload: { token } });
    expect(r.headers['set-cookie']).not.toMatch(/Secure/);
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    const expiresAt = new Date(r.json().expiresAt).getTime();
    expect((await app.inject({ method: 'GET', url: '/v1/session', headers: { cookie } })).statusCode).toBe(200);
    await new Promise((res) => setTimeout(res, Math.max(0, expiresAt - Date.now()) + 100));
    const late = await app.inject({ method: 'GET', url: '/v1/session', headers: { cookie } });
    expect(late.statusCode).toBe(401);
    expect(late.json().error.code).toBe('unauthorized');
    await app.close();
  });

  it('a bad bearer header is not rescued by a valid cookie', async () => {
    const app = await server({});
    const { token } = await createToken(tdb.db, { role: 'reviewer', name: 'finn' });
    const r = await app.inject({ method: 'POST', url: '/v1/session', payload: { token } });
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    const mixed = await app.inject({ method: 'GET', url: '/v1/session', headers: { cookie, authorization: 'Bearer trt_wrong' } });
    expect(mixed.statusCode).toBe(401);
    await app.close();
  });
});
