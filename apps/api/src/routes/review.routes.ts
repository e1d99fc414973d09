import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { binding, sealText, type Keyring } from '@triage/crypto';
import { reviewDecision, type ReviewDecision } from '@triage/contracts';
import { claimReviewTask, closeReviewTask, getReviewTask, listReviewTasks, startNewRun } from '@triage/db';
import { ApiError } from '../errors.ts';
import { audit, requirePrincipal, type ApiDeps } from '../server.ts';
import { parse } from './ops.routes.ts';

const listQuery = z.object({ status: z.enum(['open', 'decided']).default('open') }).strict();
const idParams = z.object({ id: z.string().uuid('id must be a uuid') });

/** A reviewer's note and (except a rejection's coded reason) reason are free text about a patient: sealed, bound to the task. */
function sealFreeText(keyring: Keyring, taskId: string, d: ReviewDecision): Record<string, unknown> {
  const out: Record<string, unknown> = { ...d };
  if (d.note !== undefined) out.note = sealText(keyring, d.note, binding.reviewNote(taskId));
  if (d.action !== 'reject' && d.reason !== undefined) out.reason = sealText(keyring, d.reason, binding.reviewReason(taskId));
  return out;
}

export function reviewRoutes(deps: ApiDeps) {
  return async (app: FastifyInstance) => {
    app.get('/v1/review/tasks', async (req) => {
      const { status } = parse(listQuery, req.query);
      return { tasks: await listReviewTasks(deps.db, status) };
    });

    app.post('/v1/review/tasks/:id/claim', async (req) => {
      const principal = requirePrincipal(req);
      const { id } = parse(idParams, req.params);
      const r = await claimReviewTask(deps.db, id, principal.tokenId, deps.reviewLeaseMs);
      if (r.kind === 'not_found') throw new ApiError(404, 'not_found', 'no such review task');
      if (r.kind === 'not_open') throw new ApiError(409, 'conflict', 'the task is already decided');
      if (r.kind === 'held') {
        throw new ApiError(409, 'conflict', 'the task is claimed by another reviewer', { heldBy: r.by, until: r.until });
      }
      await audit(deps.db, req, 'review_claimed', { taskId: id }, r.task.documentId);
      return { id: r.task.id, documentId: r.task.documentId, claimExpiresAt: r.task.claimExpiresAt, reasons: r.task.reasons };
    });

    app.post('/v1/review/tasks/:id/decision', async (req, reply) => {
      const principal = requirePrincipal(req);
      const { id } = parse(idParams, req.params);
      const decision = parse(reviewDecision, req.body);
      if (decision.action === 'correct' && !deps.policy.teams[decision.specialty]) {
        throw new ApiError(400, 'invalid_request', 'specialty has no team in the routing policy');
      }
      const task = await getReviewTask(deps.db, id);
      if (!task) throw new ApiError(404, 'not_found', 'no such review task');
      // Closing the task and starting the resume pass commit together: a decision is never half-applied.
      const run = await deps.db.transaction(async (tx) => {
        const closed = await closeReviewTask(tx, id, principal.tokenId, sealFreeText(deps.keyring, id, decision));
        if (!closed) return null;
        return startNewRun(tx, task.documentId, 'persist');
      });
      if (!run) {
        throw new ApiError(409, 'claim_required', 'claim the task first (the claim may have expired or be held by someone else)');
      }
      await deps.queues.enqueue('persist', { documentId: task.documentId, run }).catch((e: Error) =>
        req.log.warn({ err: { message: e.message } }, 'enqueue failed; the reconciler will retry'),
      );
      await audit(deps.db, req, 'review_decided', { taskId: id, action: decision.action }, task.documentId);
      return reply.code(202).send({ taskId: id, documentId: task.documentId, status: 'processing', run });
    });
  };
}
