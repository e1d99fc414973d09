import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ALL_TEAMS, listPauses, pauseRouting, resumeRouting } from '@triage/db';
import { ApiError } from '../errors.ts';
import type { ApiDeps } from '../api-deps.ts';
import { requirePrincipal } from '../request-helpers.ts';
import { parse } from './ops.routes.ts';

export const pauseBody = z.object({ team: z.string().min(1).max(100).optional(), reason: z.string().min(3, 'say why (at least 3 characters)').max(500) }).strict();
export const resumeBody = z.object({ team: z.string().min(1).max(100).optional() }).strict();

/** The pause switch: while set, every new decision (for one team, or all) goes to review as `policy_paused`. */
export function policyRoutes(deps: ApiDeps) {
  const scopeOf = (team: string | undefined) => {
    if (team === undefined) return ALL_TEAMS;
    if (!Object.values(deps.policy.teams).some((t) => t.team === team)) throw new ApiError(400, 'invalid_request', `no team "${team}" in policy ${deps.policy.version}`);
    return team;
  };
  return async (app: FastifyInstance) => {
    app.get('/v1/policy/pauses', async () => ({ pauses: await listPauses(deps.db) }));
    app.post('/v1/policy/pause', async (req, reply) => {
      const principal = requirePrincipal(req);
      const b = parse(pauseBody, req.body ?? {});
      const scope = scopeOf(b.team);
      const changed = await pauseRouting(deps.db, { scope, reason: b.reason, source: 'operator', actor: `token:${principal.tokenId}`, detail: { ip: req.ip } });
      return reply.code(changed ? 201 : 200).send({ scope, paused: true, changed });
    });
    app.post('/v1/policy/resume', async (req) => {
      const principal = requirePrincipal(req);
      const b = parse(resumeBody, req.body ?? {});
      const scope = scopeOf(b.team);
      const changed = await resumeRouting(deps.db, { scope, actor: `token:${principal.tokenId}`, detail: { ip: req.ip } });
      return { scope, paused: false, changed };
    });
  };
}
