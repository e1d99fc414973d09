import { z } from 'zod';
import { intakeFields, reviewDecision } from '@triage/contracts';
import { accessPolicy } from './access-policy.ts';
import { idParams } from './routes/documents.routes.ts';
import { correction } from './routes/fields.routes.ts';
import { failuresQuery, messagesQuery, replayBody } from './routes/ops.routes.ts';
import { pageParams, pageQuery } from './routes/pages.routes.ts';
import { pauseBody, resumeBody } from './routes/policy.routes.ts';
import { listQuery, statsQuery } from './routes/review.routes.ts';
import { signInBody } from './routes/session.routes.ts';

/** What a route takes, from the same zod schemas the route parses with, and what it answers. */
export type RouteDoc = {
  summary: string;
  tag: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Non-JSON bodies: raw documents, HL7 v2 ER7, FHIR JSON. */
  rawBody?: { types: string[]; description: string };
  responses: Record<string, string>;
  /** Non-JSON answers. */
  produces?: string;
};

const id = { tag: 'documents' };
const fhirJson = 'application/fhir+json';
const upload = { types: ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'text/plain', 'multipart/form-data'], description: 'the document as the raw body (type sniffed from its bytes) or multipart field `file` with optional `source`, `externalId`' };

/** Every served route; a test holds this table against the routes really registered, like the access policy. */
export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'GET /healthz': { tag: 'operations', summary: 'liveness', responses: { 200: 'alive' } },
  'GET /readyz': { tag: 'operations', summary: 'readiness (Postgres, Redis; `?canary=1`: a worker consumes)', responses: { 200: 'ready', 503: 'not ready' } },
  'GET /metrics': { tag: 'operations', summary: 'Prometheus metrics', responses: { 200: 'text exposition' }, produces: 'text/plain' },
  'GET /openapi.json': { tag: 'operations', summary: 'this description (OpenAPI 3.1)', responses: { 200: 'the document' } },
  'POST /v1/documents': { ...id, summary: 'upload a referral document', rawBody: upload, body: intakeFields, responses: { 202: 'accepted `{id, status}`', 200: 'duplicate `{id, status, duplicate}`', 400: 'empty or invalid', 413: 'too large', 415: 'unsupported type' } },
  'GET /v1/documents/:id': { ...id, summary: 'status, triage, fields and missing information', responses: { 200: 'the document', 404: 'not found' } },
  'GET /v1/documents/:id/provenance': { ...id, summary: 'every attempt of every stage', responses: { 200: 'events', 404: 'not found' } },
  'GET /v1/documents/:id/original': { ...id, summary: 'the stored original (audited)', responses: { 200: 'the bytes', 404: 'not found', 410: 'purged by retention' }, produces: 'application/octet-stream' },
  'POST /v1/documents/:id/replay': { tag: 'operations', summary: 'a new pipeline pass', body: replayBody, responses: { 202: 'replaying', 404: 'not found', 410: 'purged' } },
  'GET /v1/documents/:id/pages/:pageNo/image': { ...id, summary: 'a page rendered upright as PNG', query: pageQuery, responses: { 200: 'PNG', 404: 'no such page or a text document' }, produces: 'image/png' },
  'GET /v1/documents/:id/information-request.pdf': { tag: 'review', summary: 'the letter to the referrer listing what is missing', responses: { 200: 'PDF', 409: 'nothing is missing' }, produces: 'application/pdf' },
  'GET /v1/failures': { tag: 'operations', summary: 'failed documents and emails of unknown delivery', query: failuresQuery, responses: { 200: 'lists' } },
  'GET /v1/interface/messages': { tag: 'operations', summary: 'HL7 and FHIR messages received: sender, control id, outcome, ACK, reason (no content)', query: messagesQuery, responses: { 200: '`{messages}`' } },
  'GET /v1/audit/verify': { tag: 'audit', summary: 'recompute the audit hash chain', responses: { 200: '`{ok, events, pending}` or the first broken link' } },
  'GET /v1/audit/head': { tag: 'audit', summary: 'the chain head for anchoring', responses: { 200: '`{seq, hash, sequencedAt}`' } },
  'GET /v1/policy/pauses': { tag: 'operations', summary: 'active pauses of automatic routing', responses: { 200: '`{pauses}`' } },
  'POST /v1/policy/pause': { tag: 'operations', summary: 'pause automatic routing (all teams or one)', body: pauseBody, responses: { 201: 'paused', 200: 'already paused', 400: 'no such team' } },
  'POST /v1/policy/resume': { tag: 'operations', summary: 'resume automatic routing', body: resumeBody, responses: { 200: '`{changed}`' } },
  'GET /v1/review/tasks': { tag: 'review', summary: 'the review queue', query: listQuery, responses: { 200: '`{tasks}`' } },
  'GET /v1/review/tasks/:id': { tag: 'review', summary: 'one case with pages, evidence and allowed actions', responses: { 200: 'the case', 404: 'not found' } },
  'POST /v1/review/tasks/:id/claim': { tag: 'review', summary: 'lease the task', responses: { 200: 'claimed', 409: 'held by someone else' } },
  'POST /v1/review/tasks/:id/release': { tag: 'review', summary: 'give the lease back', responses: { 204: 'released', 409: 'not the holder' } },
  'POST /v1/review/tasks/:id/decision': { tag: 'review', summary: 'confirm, correct or reject', body: reviewDecision, responses: { 200: 'decided', 409: 'claim required' } },
  'POST /v1/review/tasks/:id/fields': { tag: 'review', summary: 'correct one extracted field', body: correction, responses: { 200: 'corrected', 400: 'invalid value' } },
  'POST /v1/review/tasks/:id/request-information': { tag: 'review', summary: 'wait on the referrer (SLA clock stopped)', responses: { 200: 'waiting' } },
  'POST /v1/review/tasks/:id/information-received': { tag: 'review', summary: 'resume the task', responses: { 200: 'open again' } },
  'GET /v1/review/events': { tag: 'review', summary: 'server-sent task events', responses: { 200: 'text/event-stream' }, produces: 'text/event-stream' },
  'GET /v1/review/stats': { tag: 'review', summary: 'queue, decision times, override and no-touch rates', query: statsQuery, responses: { 200: 'stats' } },
  'POST /v1/session': { tag: 'session', summary: 'sign in with a token (sets the session cookie)', body: signInBody, responses: { 200: '`{principal, csrfToken, expiresAt}`', 401: 'bad token' } },
  'GET /v1/session': { tag: 'session', summary: 'the current session', responses: { 200: 'session', 401: 'none' } },
  'DELETE /v1/session': { tag: 'session', summary: 'sign out', responses: { 204: 'ended' } },
  'GET /review': { tag: 'review', summary: 'the review UI', responses: { 200: 'HTML' }, produces: 'text/html' },
  'GET /review/*': { tag: 'review', summary: 'the review UI files', responses: { 200: 'static file' }, produces: 'application/octet-stream' },
  'POST /v1/hl7': { tag: 'hl7', summary: 'one HL7 v2 message; the ACK is the body', rawBody: { types: ['x-application/hl7-v2+er7'], description: 'ER7, any segment terminator; `charset=` overrides the default encoding' }, responses: { 200: 'the ACK (AA/CA, AE/CE, AR/CR)', 400: 'empty body' }, produces: 'x-application/hl7-v2+er7' },
  'GET /fhir/metadata': { tag: 'fhir', summary: 'CapabilityStatement', responses: { 200: 'CapabilityStatement' }, produces: fhirJson },
  'POST /fhir': { tag: 'fhir', summary: 'a transaction or batch Bundle of referrals', rawBody: { types: [fhirJson], description: 'Bundle' }, responses: { 200: 'transaction-response / batch-response', 400: 'OperationOutcome naming the path', 404: 'a cancel for an unknown referral', 422: 'no referral in it' }, produces: fhirJson },
  'POST /fhir/ServiceRequest': { tag: 'fhir', summary: 'one ServiceRequest', rawBody: { types: [fhirJson], description: 'ServiceRequest' }, responses: { 201: 'created (Location)', 200: 'a resend', 400: 'OperationOutcome' }, produces: fhirJson },
  'POST /fhir/DocumentReference': { tag: 'fhir', summary: 'one DocumentReference', rawBody: { types: [fhirJson], description: 'DocumentReference' }, responses: { 201: 'created', 400: 'OperationOutcome' }, produces: fhirJson },
  'POST /fhir/Communication': { tag: 'fhir', summary: 'one Communication', rawBody: { types: [fhirJson], description: 'Communication' }, responses: { 201: 'created', 400: 'OperationOutcome' }, produces: fhirJson },
  'GET /fhir/ServiceRequest/:id': { tag: 'fhir', summary: 'a referral as ServiceRequest', responses: { 200: 'ServiceRequest', 404: 'OperationOutcome' }, produces: fhirJson },
  'GET /fhir/ServiceRequest': { tag: 'fhir', summary: 'search by identifier', query: z.object({ identifier: z.string() }), responses: { 200: 'searchset Bundle', 400: 'unsupported parameter' }, produces: fhirJson },
  'GET /fhir/Task/:id': { tag: 'fhir', summary: "a referral's triage as Task", responses: { 200: 'Task', 404: 'OperationOutcome' }, produces: fhirJson },
  'GET /fhir/Task': { tag: 'fhir', summary: 'search by focus', query: z.object({ focus: z.string() }), responses: { 200: 'searchset Bundle' }, produces: fhirJson },
  'GET /fhir/Provenance': { tag: 'fhir', summary: 'search by target', query: z.object({ target: z.string() }), responses: { 200: 'searchset Bundle' }, produces: fhirJson },
};

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
/** Path parameters as the routes parse them. */
const PATH_PARAMS: Record<string, z.ZodType> = { id: idParams.shape.id, pageNo: pageParams.shape.pageNo };

/** OpenAPI 3.1, built from the route table, the zod schemas and the access policy (roles per route). */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [key, doc] of Object.entries(ROUTE_DOCS)) {
    const [method, route] = key.split(' ') as [string, string];
    const access = accessPolicy[key];
    const path = route.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{file}');
    const params = [
      ...[...route.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: schema(PATH_PARAMS[m[1]!] ?? z.string()) })),
      ...(route.endsWith('*') ? [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }] : []),
      ...Object.entries((doc.query?.shape ?? {}) as Record<string, z.ZodType>).map(([name, s]) => ({ name, in: 'query', required: !s.safeParse(undefined).success, schema: schema(s) })),
    ];
    const content: Record<string, unknown> = {};
    if (doc.rawBody) for (const t of doc.rawBody.types) content[t] = t === 'multipart/form-data' && doc.body ? { schema: { ...schema(doc.body), properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' }, ...((schema(doc.body).properties as object) ?? {}) } } } : { schema: {} };
    else if (doc.body) content['application/json'] = { schema: schema(doc.body) };
    (paths[path] ??= {})[method.toLowerCase()] = {
      operationId: `${method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: doc.summary,
      tags: [doc.tag],
      'x-roles': access === 'public' ? ['public'] : [...(access ?? [])],
      security: access === 'public' ? [] : [{ bearer: [] }, { session: [] }],
      ...(params.length ? { parameters: params } : {}),
      ...(Object.keys(content).length ? { requestBody: { required: !!doc.rawBody, content, ...(doc.rawBody ? { description: doc.rawBody.description } : {}) } } : {}),
      responses: Object.fromEntries(
        Object.entries({ ...doc.responses, ...(access === 'public' ? {} : { 401: 'no or bad credentials', 403: 'role not allowed' }) }).map(([code, description]) => [
          code,
          { description, ...(doc.produces ? { content: { [doc.produces]: {} } } : { content: { 'application/json': {} } }) },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Referral triage API', version, description: 'Intake (documents, HL7 v2, FHIR R4), review, operations. Roles per operation in `x-roles`.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: '`triage token create --role R --name N`' },
        session: { type: 'apiKey', in: 'cookie', name: 'triage_session', description: 'review UI session; state-changing requests also need `x-csrf-token`' },
      },
    },
    paths,
  };
}
