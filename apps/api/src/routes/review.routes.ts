import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { binding, sealText, type Keyring } from '@triage/crypto';
import { reviewDecision, urgency, type ReviewDecision } from '@triage/contracts';
import {
  claimReviewTask,
  closeReviewTask,
  getDocument,
  getPages,
  getReferralByDocument,
  getReviewTask,
  latestClassification,
  latestFieldSet,
  listReviewTasks,
  releaseReviewTask,
  snapshotPrediction,
  startNewRun,
} from '@triage/db';
import { ApiError } from '../errors.ts';
import { DEFAULT_REVIEW_SLA, type ApiDeps } from '../api-deps.ts';
import { audit, requirePrincipal } from '../request-helpers.ts';
import { caseView, taskSummary } from '../services/review-queue.service.ts';
import { computeReviewStats, createReviewMetrics } from '../services/review-stats.service.ts';
import { parse } from './ops.routes.ts';

export const listQuery = z
  .object({
    status: z.enum(['open', 'information_requested', 'decided']).default('open'),
    team: z.string().min(1).max(100).optional(),
    urgency: urgency.optional(),
    reason: z.string().regex(/^[a-z0-9_:-]{1,100}$/, 'reason is a reason code such as low_urgency_confidence or red_flag').optional(),
    minAgeMinutes: z.coerce.number().int().min(0).max(525_600).optional(),
  })
  .strict();
const idParams = z.object({ id: z.string().uuid('id must be a uuid') });

/** A reviewer's note is free text about a patient: sealed, bound to the task. Reasons are codes and stay readable. */
function sealFreeText(keyring: Keyring, taskId: string, d: ReviewDecision): Record<string, unknown> {
  return d.note === undefined ? { ...d } : { ...d, note: sealText(keyring, d.note, binding.reviewNote(taskId)) };
}

/** The window of the live no-touch rate: `?since=` an ISO date-time (default the last 24 h). */
export const statsQuery = z.object({ since: z.iso.datetime({ offset: true }).transform((v) => new Date(v)).optional() }).strict();

export function reviewRoutes(deps: ApiDeps) {
  const sla = () => deps.reviewSla ?? DEFAULT_REVIEW_SLA;
  const metrics = createReviewMetrics(deps.registry, () => computeReviewStats(deps.db));

  return async (app: FastifyInstance) => {
    app.get('/v1/review/tasks', async (req) => {
      const principal = requirePrincipal(req);
      const q = parse(listQuery, req.query ?? {});
      const now = new Date();
      const rows = await listReviewTasks(deps.db, q, sla());
      return { now: now.toISOString(), sla: sla(), tasks: rows.map((r) => taskSummary(r, now, principal)) };
    });

    app.get('/v1/review/tasks/:id', async (req) => {
      const principal = requirePrincipal(req);
      const { id } = parse(idParams, req.params);
      const task = await getReviewTask(deps.db, id);
      if (!task) throw new ApiError(404, 'not_found', 'no such review task');
      const [row] = await listReviewTasks(deps.db, { status: task.status === 'open' || task.status === 'information_requested' ? task.status : 'decided', taskId: id }, sla(), 1);
      const doc = await getDocument(deps.db, task.documentId);
      if (!row || !doc) throw new ApiError(404, 'not_found', 'no such review task');
      // Audit first: if the audit write fails, nothing is disclosed.
      await audit(deps.db, req, 'case_viewed', { taskId: id }, doc.id);
      const [pages, referral, classification, fieldSet] = await Promise.all([
        getPages(deps.db, doc.id, deps.keyring),
        getReferralByDocument(deps.db, doc.id),
        latestClassification(deps.db, doc.id),
        latestFieldSet(deps.db, doc.id, deps.keyring),
      ]);
      return caseView({
        summary: taskSummary(row, new Date(), principal),
        doc,
        pages,
        referral,
        classification,
        policy: deps.policy,
        redFlags: deps.redFlags,
        fieldSet,
      });
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

    app.post('/v1/review/tasks/:id/release', async (req, reply) => {
      const principal = requirePrincipal(req);
      const { id } = parse(idParams, req.params);
      const r = await releaseReviewTask(deps.db, id, principal.tokenId);
      if (r.kind === 'not_found') throw new ApiError(404, 'not_found', 'no such review task');
      if (r.kind === 'not_open') throw new ApiError(409, 'conflict', 'the task is already decided');
      if (r.kind === 'held') throw new ApiError(409, 'conflict', 'only the holder of the claim can release it', { heldBy: r.by, until: r.until });
      await audit(deps.db, req, 'review_released', { taskId: id });
      return reply.code(204).send();
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
      const result = await deps.db.transaction(async (tx) => {
        const closed = await closeReviewTask(tx, id, principal.tokenId, sealFreeText(deps.keyring, id, decision));
        if (!closed) return null;
        const referral = await getReferralByDocument(tx, task.documentId);
        if (referral) await snapshotPrediction(tx, id, referral);
        const run = await startNewRun(tx, task.documentId, 'persist');
        if (run === undefined) throw new ApiError(404, 'not_found', 'no such document');
        return { run, closed };
      });
      if (!result) {
        throw new ApiError(409, 'claim_required', 'claim the task first (the claim may have expired or be held by someone else)');
      }
      const { run, closed } = result;
      if (closed.decidedAt) metrics.observeDecision(closed.decidedAt.getTime() - closed.createdAt.getTime());
      await deps.queues.enqueue('persist', { documentId: task.documentId, run }).catch((e: Error) =>
        req.log.warn({ err: { message: e.message } }, 'enqueue failed; the reconciler will retry'),
      );
      await audit(deps.db, req, 'review_decided', { taskId: id, action: decision.action }, task.documentId);
      return reply.code(202).send({ taskId: id, documentId: task.documentId, status: 'processing', run });
    });

    app.get('/v1/review/stats', async (req) => computeReviewStats(deps.db, new Date(), parse(statsQuery, req.query).since));
  };
}
