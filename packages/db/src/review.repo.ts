import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { documents, referrals, reviewTasks, tokens } from './schema.ts';

export type ReviewTaskRow = typeof reviewTasks.$inferSelect;

/** Tasks a reviewer can still act on: open, or waiting on the referrer for missing information. */
export const ACTIVE_TASK_STATUSES = ['open', 'information_requested'] as const;
const active = () => inArray(reviewTasks.status, [...ACTIVE_TASK_STATUSES]);

/** `informationRequested`: the task starts waiting on the referrer, its SLA clock stopped from the start. */
export async function createReviewTask(
  tx: Executor,
  t: { documentId: string; referralId: string; reasons: string[]; informationRequested?: boolean },
): Promise<void> {
  const { informationRequested, ...row } = t;
  await tx
    .insert(reviewTasks)
    .values({ ...row, ...(informationRequested ? { status: 'information_requested', slaPausedAt: new Date() } : {}) })
    .onConflictDoNothing();
}

/** Asking the referrer stops the SLA clock; the answer restarts it where it stopped. */
export async function setInformationRequested(db: Executor, id: string, requested: boolean): Promise<ReviewTaskRow | undefined> {
  const [task] = requested
    ? await db
        .update(reviewTasks)
        .set({ status: 'information_requested', slaPausedAt: sql`now()` })
        .where(and(eq(reviewTasks.id, id), eq(reviewTasks.status, 'open')))
        .returning()
    : await db
        .update(reviewTasks)
        .set({
          status: 'open',
          slaPausedMs: sql`${reviewTasks.slaPausedMs} + (extract(epoch from (now() - ${reviewTasks.slaPausedAt})) * 1000)::bigint`,
          slaPausedAt: null,
        })
        .where(and(eq(reviewTasks.id, id), eq(reviewTasks.status, 'information_requested')))
        .returning();
  return task;
}

export type ReviewSlaMs = { emergent: number; urgent: number; routine: number };
export type ReviewTaskFilter = {
  status: 'open' | 'information_requested' | 'decided';
  team?: string | undefined;
  urgency?: string | undefined;
  /** Exact reason, or a family: `red_flag` matches every `red_flag:<rule>`. */
  reason?: string | undefined;
  minAgeMinutes?: number | undefined;
  taskId?: string | undefined;
};

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Review tasks in risk order: suspected emergent first (predicted or raised to emergent, or flagged as
 * possibly emergent), then by due time against the urgency's service-level target.
 */
export async function listReviewTasks(db: Executor, filter: ReviewTaskFilter, sla: ReviewSlaMs, limit = 500) {
  const slaMs = sql`(case ${referrals.urgency} when 'emergent' then ${sla.emergent}::bigint when 'urgent' then ${sla.urgent}::bigint else ${sla.routine}::bigint end)`;
  // Time spent waiting on the referrer does not count against the SLA (and a waiting task's clock is stopped now).
  const paused = sql`(${reviewTasks.slaPausedMs} + coalesce(extract(epoch from (now() - ${reviewTasks.slaPausedAt})) * 1000, 0))`;
  const dueAt = sql<Date>`(${reviewTasks.createdAt} + (${slaMs} + ${paused}) * interval '1 millisecond')`;
  const suspected = sql<boolean>`(${referrals.urgency} = 'emergent' or ${reviewTasks.reasons} @> '["possible_emergent"]'::jsonb or ${referrals.redFlags} @> '[{"action":"raise_to_emergent"}]'::jsonb)`;
  const where = [eq(reviewTasks.status, filter.status)];
  if (filter.taskId) where.push(eq(reviewTasks.id, filter.taskId));
  if (filter.team) where.push(eq(referrals.team, filter.team));
  if (filter.urgency) where.push(eq(referrals.urgency, filter.urgency));
  if (filter.reason) {
    const family = `${likeEscape(filter.reason)}:%`;
    where.push(sql`exists (select 1 from jsonb_array_elements_text(${reviewTasks.reasons}) r(v) where r.v = ${filter.reason} or r.v like ${family})`);
  }
  if (filter.minAgeMinutes !== undefined) {
    where.push(sql`${reviewTasks.createdAt} <= now() - ${filter.minAgeMinutes}::int * interval '1 minute'`);
  }
  const rows = await db
    .select({
      id: reviewTasks.id,
      documentId: reviewTasks.documentId,
      status: reviewTasks.status,
      reasons: reviewTasks.reasons,
      createdAt: reviewTasks.createdAt,
      claimedById: reviewTasks.claimedBy,
      claimedBy: tokens.name,
      claimExpiresAt: reviewTasks.claimExpiresAt,
      urgency: referrals.urgency,
      urgencyConfidence: referrals.urgencyConfidence,
      specialty: referrals.specialty,
      specialtyConfidence: referrals.specialtyConfidence,
      team: referrals.team,
      receivedAt: documents.receivedAt,
      suspectedEmergent: suspected,
      dueAt,
    })
    .from(reviewTasks)
    .innerJoin(referrals, eq(referrals.id, reviewTasks.referralId))
    .innerJoin(documents, eq(documents.id, reviewTasks.documentId))
    .leftJoin(tokens, eq(tokens.id, reviewTasks.claimedBy))
    .where(and(...where))
    .orderBy(desc(suspected), asc(dueAt), asc(reviewTasks.id))
    .limit(limit);
  // Raw sql columns come back as strings on some drivers.
  return rows.map((r) => ({ ...r, suspectedEmergent: r.suspectedEmergent === true || String(r.suspectedEmergent) === 'true', dueAt: new Date(r.dueAt) }));
}
export type ReviewTaskListRow = Awaited<ReturnType<typeof listReviewTasks>>[number];

export async function getReviewTask(db: Executor, id: string): Promise<ReviewTaskRow | undefined> {
  const [row] = await db.select().from(reviewTasks).where(eq(reviewTasks.id, id));
  return row;
}

export type ClaimResult =
  | { kind: 'claimed'; task: ReviewTaskRow }
  | { kind: 'held'; by: string | null; until: Date | null }
  | { kind: 'not_open' }
  | { kind: 'not_found' };

/** A claim is a lease: free, expired or already ours can be (re)claimed; anything else is held. */
export async function claimReviewTask(db: Executor, id: string, tokenId: string, leaseMs: number): Promise<ClaimResult> {
  const now = new Date();
  const [task] = await db
    .update(reviewTasks)
    .set({ claimedBy: tokenId, claimExpiresAt: new Date(now.getTime() + leaseMs) })
    .where(
      and(
        eq(reviewTasks.id, id),
        active(),
        or(isNull(reviewTasks.claimedBy), lt(reviewTasks.claimExpiresAt, now), eq(reviewTasks.claimedBy, tokenId)),
      ),
    )
    .returning();
  if (task) return { kind: 'claimed', task };
  return whyNotOurs(db, id);
}

type NotOurs = { kind: 'held'; by: string | null; until: Date | null } | { kind: 'not_open' } | { kind: 'not_found' };

/** Why a claim or release did not apply: gone, decided, or someone else's lease. */
async function whyNotOurs(db: Executor, id: string): Promise<NotOurs> {
  const [current] = await db
    .select({ status: reviewTasks.status, by: tokens.name, until: reviewTasks.claimExpiresAt })
    .from(reviewTasks)
    .leftJoin(tokens, eq(tokens.id, reviewTasks.claimedBy))
    .where(eq(reviewTasks.id, id));
  if (!current) return { kind: 'not_found' };
  if (!(ACTIVE_TASK_STATUSES as readonly string[]).includes(current.status)) return { kind: 'not_open' };
  return { kind: 'held', by: current.by, until: current.until };
}

/** Closes the task if the caller holds a live lease on it; false otherwise. */
export async function closeReviewTask(tx: Executor, id: string, tokenId: string, decision: unknown): Promise<ReviewTaskRow | undefined> {
  const now = new Date();
  const [task] = await tx
    .update(reviewTasks)
    .set({ status: 'decided', decision, decidedBy: tokenId, decidedAt: now })
    .where(
      and(
        eq(reviewTasks.id, id),
        active(),
        eq(reviewTasks.claimedBy, tokenId),
        gt(reviewTasks.claimExpiresAt, now),
      ),
    )
    .returning();
  return task;
}

export async function countOpenReviewTasks(db: Executor): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(reviewTasks)
    .where(active());
  return row?.n ?? 0;
}

export type ReleaseResult = { kind: 'released' } | { kind: 'held'; by: string | null; until: Date | null } | { kind: 'not_open' } | { kind: 'not_found' };

/** Only the holder releases; a release of someone else's (or nobody's) claim is refused. */
export async function releaseReviewTask(db: Executor, id: string, tokenId: string): Promise<ReleaseResult> {
  const [task] = await db
    .update(reviewTasks)
    .set({ claimedBy: null, claimExpiresAt: null })
    .where(and(eq(reviewTasks.id, id), active(), eq(reviewTasks.claimedBy, tokenId)))
    .returning({ id: reviewTasks.id });
  if (task) return { kind: 'released' };
  return whyNotOurs(db, id);
}

/** Keeps what the reviewer was shown, before persist overwrites the referral with the decision. */
export async function snapshotPrediction(tx: Executor, id: string, p: { urgency: string; specialty: string; modelVersion: string }) {
  await tx
    .update(reviewTasks)
    .set({ predictedUrgency: p.urgency, predictedSpecialty: p.specialty, modelVersion: p.modelVersion })
    .where(eq(reviewTasks.id, id));
}

export type ReviewStatsRows = {
  open: { n: number; oldest: Date | null };
  decisionMs: { p50: number | null; p95: number | null };
  byUrgency: { label: string; n: number; overridden: number }[];
  bySpecialty: { label: string; n: number; overridden: number }[];
  byModel: { label: string; n: number; overridden: number }[];
};

/** Aggregates for the learning loop. Rejections carry no label, so they are not counted as overrides. */
export async function reviewStats(db: Executor): Promise<ReviewStatsRows> {
  const [open] = await db
    .select({ n: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${reviewTasks.createdAt})` })
    .from(reviewTasks)
    .where(eq(reviewTasks.status, 'open'));
  const [times] = await db
    .select({
      p50: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from (${reviewTasks.decidedAt} - ${reviewTasks.createdAt})) * 1000)`,
      p95: sql<number | null>`percentile_cont(0.95) within group (order by extract(epoch from (${reviewTasks.decidedAt} - ${reviewTasks.createdAt})) * 1000)`,
    })
    .from(reviewTasks)
    .where(and(eq(reviewTasks.status, 'decided'), sql`${reviewTasks.decidedAt} is not null`));
  const action = sql`${reviewTasks.decision}->>'action'`;
  const labelled = and(eq(reviewTasks.status, 'decided'), sql`${action} in ('confirm', 'correct')`, sql`${reviewTasks.predictedUrgency} is not null`);
  const urgencyChanged = sql`(${action} = 'correct' and ${reviewTasks.decision}->>'urgency' <> ${reviewTasks.predictedUrgency})`;
  const specialtyChanged = sql`(${action} = 'correct' and ${reviewTasks.decision}->>'specialty' <> ${reviewTasks.predictedSpecialty})`;
  const group = async (label: ReturnType<typeof sql<string>>, changed: ReturnType<typeof sql>) => {
    const rows = await db
      .select({ label, n: sql<number>`count(*)::int`, overridden: sql<number>`(count(*) filter (where ${changed}))::int` })
      .from(reviewTasks)
      .where(labelled)
      .groupBy(label);
    return rows.map((r) => ({ label: String(r.label), n: Number(r.n), overridden: Number(r.overridden) }));
  };
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    open: { n: Number(open?.n ?? 0), oldest: open?.oldest ? new Date(open.oldest) : null },
    decisionMs: { p50: num(times?.p50), p95: num(times?.p95) },
    byUrgency: await group(sql<string>`${reviewTasks.predictedUrgency}`, urgencyChanged),
    bySpecialty: await group(sql<string>`${reviewTasks.predictedSpecialty}`, specialtyChanged),
    byModel: await group(sql<string>`coalesce(${reviewTasks.modelVersion}, 'unknown')`, sql`(${urgencyChanged} or ${specialtyChanged})`),
  };
}

export type ExportedDecision = {
  taskId: string;
  documentId: string;
  decision: unknown;
  predictedUrgency: string | null;
  predictedSpecialty: string | null;
  referralUrgency: string;
  referralSpecialty: string;
  decidedAt: Date | null;
};

/** Confirmed and corrected decisions (rejections carry no label), oldest first. */
export async function listLabelledDecisions(db: Executor, since?: Date): Promise<ExportedDecision[]> {
  const where = [eq(reviewTasks.status, 'decided'), sql`${reviewTasks.decision}->>'action' in ('confirm', 'correct')`];
  if (since) where.push(gte(reviewTasks.decidedAt, since));
  return db
    .select({
      taskId: reviewTasks.id,
      documentId: reviewTasks.documentId,
      decision: reviewTasks.decision,
      predictedUrgency: reviewTasks.predictedUrgency,
      predictedSpecialty: reviewTasks.predictedSpecialty,
      referralUrgency: referrals.urgency,
      referralSpecialty: referrals.specialty,
      decidedAt: reviewTasks.decidedAt,
    })
    .from(reviewTasks)
    .innerJoin(referrals, eq(referrals.id, reviewTasks.referralId))
    .where(and(...where))
    .orderBy(asc(reviewTasks.decidedAt), asc(reviewTasks.id));
}

/** The document's review task that is still open, if any (its status says whether it waits on the referrer). */
export async function activeReviewTask(db: Executor, documentId: string): Promise<ReviewTaskRow | undefined> {
  const [row] = await db
    .select()
    .from(reviewTasks)
    .where(and(eq(reviewTasks.documentId, documentId), inArray(reviewTasks.status, [...ACTIVE_TASK_STATUSES])));
  return row;
}
