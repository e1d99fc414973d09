import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { Registry } from 'prom-client';
import { accessPolicy } from './access-policy.ts';
import { buildServer, registeredRoutes, type ApiDeps } from './server.ts';

describe('access policy', () => {
  it('has exactly one entry for every served route', async () => {
    // Registration touches no dependency, so stand-ins are enough to list the routes.
    const deps = { log: pino({ level: 'silent' }), registry: new Registry(), maxUploadBytes: 1000, reviewLeaseMs: 1000 } as unknown as ApiDeps;
    const app = await buildServer(deps);
    const served = registeredRoutes.get(app) ?? [];
    expect(served.length).toBeGreaterThan(5);
    for (const key of served) expect(accessPolicy[key], `policy entry for ${key}`).toBeDefined();
    expect(Object.keys(accessPolicy).sort()).toEqual([...new Set(served)].sort());
    await app.close();
  });

  it('keeps document upload away from reviewers and auditors', () => {
    expect(accessPolicy['POST /v1/documents']).toEqual(['intake', 'admin']);
    expect(accessPolicy['POST /v1/documents/:id/replay']).toEqual(['admin']);
  });
});
