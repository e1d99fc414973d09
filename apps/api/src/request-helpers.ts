import type { FastifyRequest } from 'fastify';
import { recordAudit, type Db, type Principal } from '@triage/db';
import type { ApiDeps } from './api-deps.ts';
import { ApiError } from './errors.ts';

// Request helpers every route uses: who is calling, and the audit trail of what they did.

export function secureCookies(deps: ApiDeps): boolean {
  return Boolean(deps.https) || deps.behindTlsProxy === true;
}

export async function audit(db: Db, req: FastifyRequest, action: string, detail: Record<string, unknown> = {}, documentId?: string) {
  await recordAudit(db, {
    actor: req.principal ? `token:${req.principal.tokenId}` : 'anonymous',
    action,
    documentId: documentId ?? null,
    ip: req.ip,
    detail: { route: req.routeOptions.url ?? null, method: req.method, ...detail },
    allowed: action !== 'request_refused',
  });
}

export function requirePrincipal(req: FastifyRequest): Principal {
  if (!req.principal) throw new ApiError(401, 'unauthorized', 'authentication required');
  return req.principal;
}
