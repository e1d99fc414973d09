import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { Registry } from 'prom-client';
import { Validator } from '@seriousme/openapi-schema-validator';
import { openApiDocument, ROUTE_DOCS } from './openapi.ts';
import { buildServer, registeredRoutes, type ApiDeps } from './server.ts';

describe('OpenAPI 3.1', () => {
  it('documents exactly the served routes', async () => {
    const deps = { log: pino({ level: 'silent' }), registry: new Registry(), maxUploadBytes: 1000, reviewLeaseMs: 1000 } as unknown as ApiDeps;
    const app = await buildServer(deps);
    const served = [...new Set(registeredRoutes.get(app) ?? [])].sort();
    await app.close();
    expect(Object.keys(ROUTE_DOCS).sort()).toEqual(served);
  });

  it('is a valid OpenAPI 3.1 document (linted against the 3.1 schema), with roles and the routes\' own request schemas', async () => {
    const doc = openApiDocument('test');
    const v = new Validator();
    const r = await v.validate(doc);
    expect(r.errors ?? [], JSON.stringify(r.errors)).toEqual([]);
    expect(r.valid).toBe(true);
    expect(v.version).toBe('3.1');
    const paths = doc.paths as Record<string, Record<string, { 'x-roles': string[]; requestBody?: { content: Record<string, { schema: { required?: string[]; properties?: Record<string, unknown> } }> }; parameters?: { name: string; in: string }[] }>>;
    expect(paths['/v1/policy/pause']!.post!['x-roles']).toEqual(['admin']);
    expect(paths['/v1/policy/pause']!.post!.requestBody!.content['application/json']!.schema.required).toEqual(['reason']);
    // The decision body is a union (confirm | correct | reject), each with its reason codes.
    expect(JSON.stringify(paths['/v1/review/tasks/{id}/decision']!.post!.requestBody!.content['application/json']!.schema)).toMatch(/"correct"/);
    expect(paths['/v1/documents/{id}/pages/{pageNo}/image']!.get!.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(['path:id', 'path:pageNo', 'query:dpi']);
    expect(paths['/healthz']!.get!['x-roles']).toEqual(['public']);
  });

  it('gives the answers the review UI and the CLI read a response schema, named and resolvable', () => {
    const doc = openApiDocument('test') as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>>; components: { schemas: Record<string, unknown> } };
    const schemaOf = (path: string, method: string, code: number) => doc.paths[path]![method]!.responses[code]!.content?.['application/json']?.schema?.$ref;
    expect(schemaOf('/v1/review/tasks', 'get', 200)).toBe('#/components/schemas/TaskList');
    expect(schemaOf('/v1/review/tasks/{id}', 'get', 200)).toBe('#/components/schemas/CaseDetail');
    expect(schemaOf('/v1/review/tasks/{id}/decision', 'post', 202)).toBe('#/components/schemas/DecisionAccepted');
    expect(schemaOf('/v1/documents', 'post', 202)).toBe('#/components/schemas/UploadAccepted');
    expect(schemaOf('/v1/documents', 'post', 200)).toBe('#/components/schemas/UploadDuplicate');
    expect(schemaOf('/v1/session', 'post', 200)).toBe('#/components/schemas/Session');
    // Refusals are ApiError JSON, also on routes that answer PNG or PDF.
    expect(schemaOf('/v1/documents/{id}/pages/{pageNo}/image', 'get', 404)).toBe('#/components/schemas/ApiError');
    expect(schemaOf('/v1/review/tasks', 'get', 401)).toBe('#/components/schemas/ApiError');
    expect(doc.paths['/v1/review/tasks/{id}/release']!.post!.responses[204]!.content).toBeUndefined();
    // Shared shapes are references, and every reference names a component.
    const text = JSON.stringify(doc);
    const refs = new Set([...text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!));
    expect([...refs].filter((r) => !(r in doc.components.schemas))).toEqual([]);
    expect(refs).toContain('TaskSummary');
    expect(JSON.stringify(doc.components.schemas.CaseDetail)).not.toMatch(/"urgencyConfidence"/);
  });
});
