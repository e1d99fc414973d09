import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createSession, endSession, findPrincipal, type SessionInfo } from '@triage/db';
import { ApiError } from '../errors.ts';
import { DEFAULT_SESSION_TTL_MS, type ApiDeps } from '../api-deps.ts';
import { audit, requirePrincipal, secureCookies } from '../request-helpers.ts';
import { clearedSessionCookie, sessionCookie } from '../session-cookie.ts';
import { parse } from './ops.routes.ts';

export const signInBody = z.object({ token: z.string().min(1, 'token is required').max(200) }).strict();

const sessionBody = (s: SessionInfo) => ({
  principal: { name: s.principal.name, role: s.principal.role },
  csrfToken: s.csrfToken,
  expiresAt: s.expiresAt.toISOString(),
});

/** Browser sign-in: a bearer token is exchanged for an HttpOnly session cookie plus a CSRF token. */
export function sessionRoutes(deps: ApiDeps) {
  return async (app: FastifyInstance) => {
    app.post('/v1/session', async (req, reply) => {
      const { token } = parse(signInBody, req.body);
      const principal = await findPrincipal(deps.db, token);
      if (!principal) {
        await audit(deps.db, req, 'request_refused', { why: 'sign_in' });
        throw new ApiError(401, 'unauthorized', 'invalid, expired or revoked token');
      }
      req.principal = principal;
      const ttl = deps.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
      const { secret, info } = await createSession(deps.db, principal, ttl);
      await audit(deps.db, req, 'session_created', { sessionId: info.sessionId });
      return reply.header('set-cookie', sessionCookie(secret, ttl, secureCookies(deps))).header('cache-control', 'no-store').send(sessionBody(info));
    });

    app.get('/v1/session', async (req, reply) => {
      requirePrincipal(req);
      if (!req.session) throw new ApiError(401, 'unauthorized', 'no session: sign in with POST /v1/session');
      return reply.header('cache-control', 'no-store').send(sessionBody(req.session));
    });

    app.delete('/v1/session', async (req, reply) => {
      requirePrincipal(req);
      if (req.session) {
        await endSession(deps.db, req.session.sessionId);
        await audit(deps.db, req, 'session_ended', { sessionId: req.session.sessionId });
      }
      return reply.code(204).header('set-cookie', clearedSessionCookie(secureCookies(deps))).send();
    });
  };
}
