// Audit samples: a random share of auto-routed referrals sent to a person for a second look, to measure how often
// the model is wrong on the cases nobody else sees.
import { randomInt } from 'node:crypto';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db, Executor } from './client.ts';
import { appendAudit } from './audit.repo.ts';
import { createReviewTask } from './review.repo.ts';
import { referrals, reviewTasks } from './schema.ts';

export const AUDIT_SAMPLE_REASON = 'audit_sample';

/** A review task opened by `triage audit-sample`, not by the routing decision. */
export const isAuditSample = (task: { reasons: readonly string[] }) => task.reasons.includes(AUDIT_SAMPLE_REASON);

const hasAuditTask = sql`exists (select 1 from ${reviewTasks} t where t.document_id = ${referrals.documentId} and t.reasons ? ${AUDIT_SAMPLE_REASON})`;

export type AuditSampleResult = { eligible: number; sampled: number };

/**
 * Opens an audit task for each auto-routed referral (since `since`, never sampled before) with probability `rate`.
 * `draw` returns a uniform number in [0, 1); crypto randomness by default, so no one can predict which cases are seen.
 */
export async function sampleAutoRouted(
  db: Db,
  opts: { since: Date; rate: number; limit?: number; actor: string; draw?: () => number },
): Promise<AuditSampleResult> {
  const draw = opts.draw ?? (() => randomInt(0, 2 ** 32) / 2 ** 32);
  return db.transaction(async (tx) => {
    // Serialised with other samplers, so two runs at once cannot both sample the same referral.
    await tx.execute(sql`select pg_advisory_xact_lock(7362011)`);
    const eligible = await tx
      .select({ id: referrals.id, documentId: referrals.documentId })
      .from(referrals)
      .where(and(eq(referrals.decision, 'auto'), eq(referrals.state, 'routed'), eq(referrals.decidedBy, 'model'), gte(referrals.createdAt, opts.since), sql`not ${hasAuditTask}`))
      .orderBy(referrals.createdAt)
      .limit(opts.limit ?? 10_000);
    const chosen = eligible.filter(() => draw() < opts.rate);
    for (const r of chosen) await createReviewTask(tx, { documentId: r.documentId, referralId: r.id, reasons: [AUDIT_SAMPLE_REASON] });
    await appendAudit(tx, {
      actor: opts.actor,
      action: 'audit_sampled',
      detail: { rate: opts.rate, since: opts.since.toISOString(), eligible: eligible.length, sampled: chosen.length, documentIds: chosen.map((r) => r.documentId) },
    });
    return { eligible: eligible.length, sampled: chosen.length };
  });
}

export type RoutingRates = {
  noTouch: { since: string; modelDecided: number; autoRouted: number; rate: number | null };
  auditOverride: { audited: number; overridden: number; rate: number | null };
};

/** The live no-touch rate (referrals decided since `since`) and how often an audit overturned an auto-routing. */
export async function routingRates(db: Executor, since: Date): Promise<RoutingRates> {
  const [nt] = await db
    .select({ n: sql<number>`count(*)::int`, auto: sql<number>`(count(*) filter (where ${referrals.decision} = 'auto'))::int` })
    .from(referrals)
    .where(gte(referrals.createdAt, since));
  const action = sql`${reviewTasks.decision}->>'action'`;
  const [au] = await db
    .select({ n: sql<number>`count(*)::int`, overridden: sql<number>`(count(*) filter (where ${action} in ('correct', 'reject')))::int` })
    .from(reviewTasks)
    .where(and(eq(reviewTasks.status, 'decided'), sql`${reviewTasks.reasons} ? ${AUDIT_SAMPLE_REASON}`));
  const n = Number(nt?.n ?? 0);
  const auto = Number(nt?.auto ?? 0);
  const audited = Number(au?.n ?? 0);
  const overridden = Number(au?.overridden ?? 0);
  return {
    noTouch: { since: since.toISOString(), modelDecided: n, autoRouted: auto, rate: n ? auto / n : null },
    auditOverride: { audited, overridden, rate: audited ? overridden / audited : null },
  };
}
