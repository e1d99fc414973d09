import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { documentsForKey, getDocument, type DocumentRow } from '@triage/db';
import { capabilityStatement, operationOutcome } from '@triage/fhir';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { ApiDeps } from '../api-deps.ts';
import { audit, requirePrincipal } from '../request-helpers.ts';
import { receiveFhir, type FhirCreateType } from '../services/fhir-intake.service.ts';
import { fhirView } from '../services/fhir-read.service.ts';
import { referralKeyOf } from '../services/structured-intake.service.ts';

export const FHIR_JSON = 'application/fhir+json';
const CREATE_TYPES: FhirCreateType[] = ['ServiceRequest', 'DocumentReference', 'Communication'];
const idParams = z.object({ id: z.string().uuid() });

const send = (reply: FastifyReply, status: number, body: Resource, location?: string) => {
  if (location) reply.header('location', location);
  return reply.code(status).header('content-type', `${FHIR_JSON}; charset=utf-8`).send(body);
};
const notFound = (reply: FastifyReply, what: string) => send(reply, 404, operationOutcome('error', 'not-found', `no ${what}`));
const searchset = (resources: Resource[], base: string): Bundle => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((r) => ({ fullUrl: `${base}/fhir/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'match' } })),
});

/** FHIR R4: intake of referrals, and reads of each referral's ServiceRequest, triage Task and Provenance. */
export function fhirRoutes(deps: ApiDeps) {
  const structured = () => ({ ...deps, clinics: deps.policy.clinics });
  const base = (req: FastifyRequest) => `${req.protocol}://${req.host}`;
  /** As documents: intake tokens read only what they sent; anything else reads as not there. */
  const readable = async (req: FastifyRequest, id: string): Promise<DocumentRow | null> => {
    const principal = requirePrincipal(req);
    const doc = await getDocument(deps.db, id);
    if (!doc || (principal.role === 'intake' && doc.createdBy !== principal.tokenId)) return null;
    return doc;
  };
  const body = (req: FastifyRequest): Buffer | null =>
    Buffer.isBuffer(req.body) ? req.body : req.body && typeof req.body === 'object' ? Buffer.from(JSON.stringify(req.body)) : null;

  return async (app: FastifyInstance) => {
    // FHIR JSON arrives as bytes (up to the upload limit: attachments are base64 inside it), hashed as sent.
    app.addContentTypeParser(FHIR_JSON, { parseAs: 'buffer', bodyLimit: deps.maxUploadBytes }, (_req, b, done) => done(null, b));
    // Many FHIR clients send plain application/json: here it is FHIR too, with the same limit (not the API's 64 KB).
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: deps.maxUploadBytes }, (_req, b, done) => done(null, b));

    app.get('/fhir/metadata', async (req, reply) => send(reply, 200, capabilityStatement(`${base(req)}/fhir`)));

    const create = (expect: FhirCreateType | 'Bundle') => async (req: FastifyRequest, reply: FastifyReply) => {
      const principal = requirePrincipal(req);
      const bytes = body(req);
      if (!bytes?.length) return send(reply, 400, operationOutcome('error', 'invalid', `send a FHIR R4 ${expect} as ${FHIR_JSON}`));
      const r = await receiveFhir(structured(), { tokenId: principal.tokenId, tokenName: principal.name, actor: `token:${principal.tokenId}`, ip: req.ip }, bytes, expect);
      if (r.status >= 400) await audit(deps.db, req, 'fhir_refused', { status: r.status });
      return send(reply, r.status, r.body, r.location ? `${base(req)}/fhir/${r.location}` : undefined);
    };
    app.post('/fhir', create('Bundle'));
    for (const t of CREATE_TYPES) app.post(`/fhir/${t}`, create(t));

    // A document is a ServiceRequest and a Task with its own id.
    for (const resource of ['ServiceRequest', 'Task'] as const) {
      app.get(`/fhir/${resource}/:id`, async (req, reply) => {
        const p = idParams.safeParse(req.params);
        const doc = p.success ? await readable(req, p.data.id) : null;
        if (!doc) return notFound(reply, `such ${resource}`);
        await audit(deps.db, req, 'fhir_read', { resource }, doc.id);
        const view = await fhirView(deps, doc);
        return send(reply, 200, resource === 'Task' ? view.task : view.serviceRequest);
      });
    }

    // Searches: identifier on ServiceRequest, focus on Task, target on Provenance. Anything else is a 400.
    const search = (param: string, resource: 'ServiceRequest' | 'Task' | 'Provenance', find: (v: string) => Promise<DocumentRow[]>) => async (req: FastifyRequest, reply: FastifyReply) => {
      const q = req.query as Record<string, unknown>;
      const unknown = Object.keys(q).filter((k) => k !== param && k !== '_format');
      const v = q[param];
      if (unknown.length || typeof v !== 'string' || !v) {
        return send(reply, 400, operationOutcome('error', 'not-supported', `search ${resource} by ${param} (one value)${unknown.length ? `; not supported: ${unknown.join(', ')}` : ''}`));
      }
      const docs: DocumentRow[] = [];
      for (const d of await find(v)) {
        const doc = await readable(req, d.id);
        if (doc) docs.push(doc);
      }
      await audit(deps.db, req, 'fhir_search', { resource, matches: docs.length });
      for (const d of docs) await audit(deps.db, req, 'fhir_read', { resource }, d.id);
      const views = await Promise.all(docs.map((d) => fhirView(deps, d)));
      const resources = views.map((v) => (resource === 'ServiceRequest' ? v.serviceRequest : resource === 'Task' ? v.task : v.provenance)).filter((r): r is NonNullable<typeof r> => !!r);
      return send(reply, 200, searchset(resources, base(req)));
    };
    const byReference = (type: string) => async (v: string) => {
      const id = new RegExp(`^(?:.*/)?${type}/([0-9a-f-]{36})$`).exec(v)?.[1];
      const doc = id ? await getDocument(deps.db, id) : undefined;
      return doc ? [doc] : [];
    };
    app.get(
      '/fhir/ServiceRequest',
      search('identifier', 'ServiceRequest', async (v) => {
        // `system|value` as sent; a bare value matches an identifier sent without a system.
        return documentsForKey(deps.db, referralKeyOf('fhir', v.includes('|') ? v : `|${v}`));
      }),
    );
    app.get('/fhir/Task', search('focus', 'Task', byReference('ServiceRequest')));
    app.get('/fhir/Provenance', search('target', 'Provenance', byReference('Task')));
  };
}
