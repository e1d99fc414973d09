import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer, type ApiDeps } from '../server.ts';

let app: FastifyInstance;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'review-ui-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
  await writeFile(join(dir, '..', 'outside.txt'), 'secret');
  // Static files touch no database or queue: stand-ins suffice, and any use of them would throw.
  const deps = { log: pino({ level: 'silent' }), registry: new Registry(), maxUploadBytes: 1000, reviewLeaseMs: 1000, reviewUiDir: dir } as unknown as ApiDeps;
  app = await buildServer(deps);
});
afterAll(async () => app?.close());

describe('review UI static files', () => {
  it('serves index.html at /review with security headers, without a session', async () => {
    const r = await app.inject({ method: 'GET', url: '/review' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.body).toContain('id="root"');
    expect(r.headers['content-security-policy']).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets with their type and a long cache', async () => {
    const r = await app.inject({ method: 'GET', url: '/review/assets/app-abc123.js' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/javascript/);
    expect(r.headers['cache-control']).toMatch(/immutable/);
    expect(r.body).toBe('console.log(1)');
  });

  it('falls back to index.html for client routes, but a missing asset is a 404', async () => {
    for (const url of ['/review/', '/review/case/123', '/review/queue?team=x']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.body).toContain('id="root"');
    }
    const missing = await app.inject({ method: 'GET', url: '/review/assets/gone.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
  });

  it('says so when the UI is not built', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'review-ui-empty-'));
    const deps = { log: pino({ level: 'silent' }), registry: new Registry(), maxUploadBytes: 1000, reviewLeaseMs: 1000, reviewUiDir: empty } as unknown as ApiDeps;
    const bare = await buildServer(deps);
    const r = await bare.inject({ method: 'GET', url: '/review/queue' });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.message).toMatch(/not built/);
    await bare.close();
  });

  it('never serves a file outside the UI folder', async () => {
    for (const url of ['/review/../outside.txt', '/review/%2e%2e/outside.txt', '/review/..%2Foutside.txt', '/review/assets/..%2F..%2Foutside.txt']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.body, url).not.toContain('secret');
    }
  });
});
