import { z } from 'zod';
import { intakeFields, reviewDecision } from '@triage/contracts';
import { accessPolicy } from './access-policy.ts';
import { idParams } from './routes/documents.routes.ts';
import { correction } from './routes/fields.routes.ts';
import { failuresQuery, messagesQuery, replayBody } from './routes/ops.routes.ts';
import { pageParams, pageQuery } from './routes/pages.routes.ts';
import { pauseBody, resumeBody } from './routes/policy.routes.ts';
import { listQuery, statsQuery } from './routes/review.routes.ts';
import { RESPONSE_SCHEMAS, type ResponseSchemaName } from './routes/responses.ts';
import { signInBody } from './routes/session.routes.ts';

/** An answer: its description and, for JSON, the named response schema it follows (see routes/responses.ts). */
export type Answer = string | { description: string; json: ResponseSchemaName };

/** What a route takes, from the same zod schemas the route parses with, and what it answers. */
export type RouteDoc = {
  summary: string;
  tag: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Non-JSON bodies: raw documents, HL7 v2 ER7, FHIR JSON. */
  rawBody?: { types: string[]; description: string };
  responses: Record<string, Answer>;
  /** Non-JSON answers. */
  produces?: string;
  /** Server-sent events: the schema of each event's `data:`. */
  eventData?: ResponseSchemaName;
};

const ok = (description: string, json: ResponseSchemaName): Answer => ({ description, json });
/** Refusals are `ApiError` JSON on every route, whatever the route produces when it succeeds. */
const fail = (description: string): Answer => ({ description, json: 'ApiError' });

const id = { tag: 'documents' };
const fhirJson = 'application/fhir+json';
const upload = { types: ['application/octet-stream', 'application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'text/plain', 'multipart/form-data'], description: 'the document as the raw body (type sniffed from its bytes) or multipart field `file` with optional `source`, `externalId`' };

/** Every served route; a test holds this table against the routes really registered, like the access policy. */
export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'GET /healthz': { tag: 'operations', summary: 'liveness', responses: { 200: 'alive' } },
  'GET /readyz': { tag: 'operations', summary: 'readiness (Postgres, Redis; `?canary=1`: a worker consumes)', responses: { 200: 'ready', 503: 'not ready' } },
  'GET /metrics': { tag: 'operations', summary: 'Prometheus metrics', responses: { 200: 'text exposition' }, produces: 'text/plain' },
  'GET /openapi.json': { tag: 'operations', summary: 'this description (OpenAPI 3.1)', responses: { 200: 'the document' } },
  'POST /v1/documents': { ...id, summary: 'upload a referral document', rawBody: upload, body: intakeFields, responses: { 202: ok('accepted', 'UploadAccepted'), 200: ok('a duplicate of a stored document', 'UploadDuplicate'), 400: fail('empty or invalid'), 413: fail('too large'), 415: fail('unsupported type') } },
  'GET /v1/documents/:id': { ...id, summary: 'status, triage, fields and missing information', responses: { 200: ok('the document', 'DocumentView'), 404: fail('not found') } },
  'GET /v1/documents/:id/provenance': { ...id, summary: 'every attempt of every stage', responses: { 200: 'events', 404: fail('not found') } },
  'GET /v1/documents/:id/original': { ...id, summary: 'the stored original (audited)', responses: { 200: 'the bytes', 404: fail('not found'), 410: fail('purged by retention') }, produces: 'application/octet-stream' },
  'POST /v1/documents/:id/replay': { tag: 'operations', summary: 'a new pipeline pass', body: replayBody, responses: { 202: 'replaying', 404: fail('not found'), 410: fail('purged') } },
  'GET /v1/documents/:id/pages/:pageNo/image': { ...id, summary: 'a page rendered upright as PNG', query: pageQuery, responses: { 200: 'PNG', 404: fail('no such page or a text document'), 410: fail('purged by retention') }, produces: 'image/png' },
  'GET /v1/documents/:id/information-request.pdf': { tag: 'review', summary: 'the letter to the referrer listing what is missing', responses: { 200: 'PDF', 404: fail('not found'), 409: fail('nothing is missing') }, produces: 'application/pdf' },
  'GET /v1/failures': { tag: 'operations', summary: 'failed documents and emails of unknown delivery', query: failuresQuery, responses: { 200: 'lists' } },
  'GET /v1/interface/messages': { tag: 'operations', summary: 'HL7 and FHIR messages received: sender, control id, outcome, ACK, reason (no content)', query: messagesQuery, responses: { 200: '`{messages}`' } },
  'GET /v1/audit/verify': { tag: 'audit', summary: 'recompute the audit hash chain', responses: { 200: '`{ok, events, pending}` or the first broken link' } },
  'GET /v1/audit/head': { tag: 'audit', summary: 'the chain head for anchoring', responses: { 200: '`{seq, hash, sequencedAt}`' } },
  'GET /v1/policy/pauses': { tag: 'operations', summary: 'active pauses of automatic routing', responses: { 200: '`{pauses}`' } },
  'POST /v1/policy/pause': { tag: 'operations', summary: 'pause automatic routing (all teams or one)', body: pauseBody, responses: { 201: 'paused', 200: 'already paused', 400: fail('no such team') } },
  'POST /v1/policy/resume': { tag: 'operations', summary: 'resume automatic routing', body: resumeBody, responses: { 200: '`{changed}`' } },
  'GET /v1/review/tasks': { tag: 'review', summary: 'the review queue', query: listQuery, responses: { 200: ok('the tasks, most pressing first', 'TaskList'), 400: fail('invalid filter') } },
  'GET /v1/review/tasks/:id': { tag: 'review', summary: 'one case with pages, evidence and allowed actions', responses: { 200: ok('the case', 'CaseDetail'), 404: fail('not found') } },
  'POST /v1/review/tasks/:id/claim': { tag: 'review', summary: 'lease the task', responses: { 200: ok('claimed (or the lease renewed)', 'ClaimResult'), 404: fail('not found'), 409: fail('held by someone else (`heldBy`, `until`) or already decided') } },
  'POST /v1/review/tasks/:id/release': { tag: 'review', summary: 'give the lease back', responses: { 204: 'released', 404: fail('not found'), 409: fail('not the holder, or already decided') } },
  'POST /v1/review/tasks/:id/decision': { tag: 'review', summary: 'confirm, correct or reject', body: reviewDecision, responses: { 202: ok('decided; the referral is being persisted', 'DecisionAccepted'), 400: fail('invalid decision or a specialty with no team'), 404: fail('not found'), 409: fail('claim required') } },
  'POST /v1/review/tasks/:id/fields': { tag: 'review', summary: 'correct one extracted field', body: correction, responses: { 200: ok('corrected: the whole set, gaps recomputed', 'FieldsUpdate'), 400: fail('invalid value'), 404: fail('not found'), 409: fail('claim required, decided, or nothing read yet') } },
  'POST /v1/review/tasks/:id/request-information': { tag: 'review', summary: 'wait on the referrer (SLA clock stopped)', responses: { 200: ok('waiting', 'InformationState'), 404: fail('not found'), 409: fail('claim required or already waiting') } },
  'POST /v1/review/tasks/:id/information-received': { tag: 'review', summary: 'resume the task', responses: { 200: ok('open again', 'InformationState'), 404: fail('not found'), 409: fail('claim required or not waiting') } },
  'GET /v1/review/events': { tag: 'review', summary: 'server-sent task events (`event: task`)', responses: { 200: 'text/event-stream', 503: fail('live events unavailable') }, produces: 'text/event-stream', eventData: 'TaskEvent' },
  'GET /v1/review/stats': { tag: 'review', summary: 'queue, decision times, override and no-touch rates', query: statsQuery, responses: { 200: ok('stats', 'ReviewStats'), 400: fail('invalid `since`') } },
  'POST /v1/session': { tag: 'session', summary: 'sign in with a token (sets the session cookie)', body: signInBody, responses: { 200: ok('signed in', 'Session'), 400: fail('no token'), 401: fail('bad token') } },
  'GET /v1/session': { tag: 'session', summary: 'the current session', responses: { 200: ok('the session', 'Session'), 401: fail('none') } },
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

const ref = (name: ResponseSchemaName) => ({ $ref: `#/components/schemas/${name}` });

function response(doc: RouteDoc, code: string, answer: Answer): Record<string, unknown> {
  if (code === '204') return { description: typeof answer === 'string' ? answer : answer.description };
  if (typeof answer !== 'string') return { description: answer.description, content: { 'application/json': { schema: ref(answer.json) } } };
  if (!doc.produces) return { description: answer, content: { 'application/json': {} } };
  return { description: answer, content: { [doc.produces]: doc.eventData ? { 'x-event-data': ref(doc.eventData) } : {} } };
}

/** The response schemas as named components; a named schema inside another is a $ref, not a copy. */
function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, s] of Object.entries(RESPONSE_SCHEMAS)) registry.add(s, { id });
  const { schemas } = z.toJSONSchema(registry, { io: 'output', unrepresentable: 'any', uri: (id) => ref(id as ResponseSchemaName).$ref });
  // Each is a fragment of this document, not a JSON Schema resource of its own.
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest]));
}

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
        Object.entries({ ...doc.responses, ...(access === 'public' ? {} : { 401: fail('no or bad credentials'), 403: fail('role not allowed, or no CSRF token with a session') }) }).map(
          ([code, answer]) => [code, response(doc, code, answer)],
        ),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Referral triage API', version, description: 'Intake (documents, HL7 v2, FHIR R4), review, operations. Roles per operation in `x-roles`.' },
    servers: [{ url: '/' }],
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: '`triage token create --role R --name N`' },
        session: { type: 'apiKey', in: 'cookie', name: 'triage_session', description: 'review UI session; state-changing requests also need `x-csrf-token`' },
      },
    },
    paths,
  };
}
