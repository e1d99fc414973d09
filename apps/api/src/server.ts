import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { findPrincipal, findSession, type Db, type Principal, type SessionInfo } from '@triage/db';
import { accessPolicy, routeKey } from './access-policy.ts';
import { ApiError, sendError } from './errors.ts';
import { documentRoutes } from './routes/documents.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { hl7Routes } from './routes/hl7.routes.ts';
import { fhirRoutes } from './routes/fhir.routes.ts';
import { policyRoutes } from './routes/policy.routes.ts';
import { openApiRoutes } from './routes/openapi.routes.ts';
import { reviewRoutes } from './routes/review.routes.ts';
import { fieldRoutes } from './routes/fields.routes.ts';
import { opsRoutes } from './routes/ops.routes.ts';
import { pageRoutes } from './routes/pages.routes.ts';
import { reviewUiRoutes } from './routes/review-ui.routes.ts';
import { reviewEventRoutes } from './routes/review-events.routes.ts';
import { sessionRoutes } from './routes/session.routes.ts';
import { readSessionCookie, STATE_CHANGING } from './session-cookie.ts';

import type { ApiDeps } from './api-deps.ts';
import { audit } from './request-helpers.ts';

export { DEFAULT_REVIEW_SLA, DEFAULT_SESSION_TTL_MS, type ApiDeps, type ReviewSla } from './api-deps.ts';
export { audit, requirePrincipal, secureCookies } from './request-helpers.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** Set when the request authenticated with the session cookie rather than a bearer token. */
    session: SessionInfo | null;
  }
}

const JSON_BODY_LIMIT = 64 * 1024;
/** The HTTP API's version in /openapi.json (the package version). */
const API_VERSION = '0.1.0';

/** Route keys per built server, so a test can hold the policy table against what is really served. */
export const registeredRoutes = new WeakMap<FastifyInstance, string[]>();

export async function buildServer(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log.child({ component: 'api' }),
    // JSON routes take small bodies; the document parsers below set their own, larger limit.
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: true,
    ...(deps.https ? { https: deps.https } : {}),
  }) as unknown as FastifyInstance;
  app.decorateRequest('principal', null);
  app.decorateRequest('session', null);
  const routeKeys: string[] = [];
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') routeKeys.push(routeKey(m, r.url));
  });
  await app.register(multipart, { limits: { fileSize: deps.maxUploadBytes, files: 1, fields: 10, fieldSize: 1024 } });
  // Raw uploads: any non-multipart, non-JSON body arrives as bytes; the type is sniffed, not trusted.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.maxUploadBytes }, (_req, body, done) => done(null, body));
  app.removeContentTypeParser(['text/plain']);
  app.addContentTypeParser('text/plain', { parseAs: 'buffer', bodyLimit: deps.maxUploadBytes }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    const url = req.routeOptions.url;
    if (!url) return; // 404s are answered by the not-found handler
    const access = accessPolicy[routeKey(req.method, url)];
    if (access === 'public') return;
    if (!access) {
      await audit(deps.db, req, 'request_refused', { why: 'no_policy_entry' });
      return sendError(reply, new ApiError(403, 'forbidden', 'this route has no access policy entry'));
    }
    const auth = await authenticate(deps.db, req);
    if (!auth) {
      await audit(deps.db, req, 'request_refused', { why: 'unauthenticated' });
      return sendError(reply, new ApiError(401, 'unauthorized', 'missing, invalid, expired or revoked bearer token or session'));
    }
    const principal = auth.principal;
    if (auth.session) {
      req.session = auth.session;
      // A cookie rides along on cross-site requests; the header proves the caller read our response.
      if (STATE_CHANGING.has(req.method) && !csrfMatches(req.headers['x-csrf-token'], auth.session.csrfToken)) {
        req.principal = principal;
        await audit(deps.db, req, 'request_refused', { why: 'csrf' });
        return sendError(reply, new ApiError(403, 'csrf', 'missing or wrong x-csrf-token header'));
      }
    }
    if (!access.includes(principal.role)) {
      req.principal = principal;
      await audit(deps.db, req, 'request_refused', { why: 'role', role: principal.role });
      return sendError(reply, new ApiError(403, 'forbidden', `role ${principal.role} may not call ${req.method} ${url}`));
    }
    req.principal = principal;
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof ApiError) return sendError(reply, err);
    const e = err as { code?: string; statusCode?: number; message: string; validation?: unknown };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413) {
      const limit = req.routeOptions.url === '/v1/documents' ? deps.maxUploadBytes : JSON_BODY_LIMIT;
      return sendError(reply, new ApiError(413, 'payload_too_large', `the request body is larger than ${limit} bytes`));
    }
    if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.statusCode === 400) {
      return sendError(reply, new ApiError(400, 'invalid_request', e.message));
    }
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.statusCode === 415) {
      return sendError(reply, new ApiError(415, 'unsupported_media_type', e.message));
    }
    req.log.error({ err: { name: (err as Error).name, message: (err as Error).message } }, 'unhandled error');
    return sendError(reply, new ApiError(500, 'internal', 'internal error'));
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, new ApiError(404, 'not_found', 'no such route')));

  await app.register(healthRoutes(deps));
  await app.register(sessionRoutes(deps));
  await app.register(pageRoutes(deps));
  await app.register(reviewUiRoutes(deps));
  await app.register(documentRoutes(deps));
  await app.register(reviewRoutes(deps));
  await app.register(fieldRoutes(deps));
  await app.register(reviewEventRoutes(deps));
  await app.register(opsRoutes(deps));
  await app.register(hl7Routes(deps));
  await app.register(fhirRoutes(deps));
  await app.register(policyRoutes(deps));
  await app.register(openApiRoutes(API_VERSION));
  await app.ready();
  const missing = routeKeys.filter((k) => !accessPolicy[k]);
  if (missing.length) throw new Error(`routes without an access policy entry: ${missing.join(', ')}`);
  registeredRoutes.set(app, routeKeys);
  return app;
}

/** A bearer header, when present, decides alone; otherwise the session cookie. */
async function authenticate(db: Db, req: FastifyRequest): Promise<{ principal: Principal; session: SessionInfo | null } | null> {
  const h = req.headers.authorization;
  if (h) {
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    if (!m?.[1]) return null;
    const principal = await findPrincipal(db, m[1]);
    return principal ? { principal, session: null } : null;
  }
  const secret = readSessionCookie(req.headers.cookie);
  if (!secret) return null;
  const session = await findSession(db, secret);
  return session ? { principal: session.principal, session } : null;
}

function csrfMatches(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string' || sent.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}

