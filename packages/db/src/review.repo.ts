import { and, asc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { documents, referrals, reviewTasks, tokens } from './schema.ts';

export type ReviewTaskRow = typeof reviewTasks.$inferSelect;

export async function createReviewTask(
  tx: Executor,
  t: { documentId: string; referralId: string; reasons: string[] },
): Promise<void> {
  await tx.insert(reviewTasks).values(t).onConflictDoNothing();
}

export async function listReviewTasks(db: Executor, status: 'open' | 'decided', limit = 200) {
  return db
    .select({
      id: reviewTasks.id,
      documentId: reviewTasks.documentId,
      status: reviewTasks.status,
      reasons: reviewTasks.reasons,
      createdAt: reviewTasks.createdAt,
      claimedBy: tokens.name,
      claimExpiresAt: reviewTasks.claimExpiresAt,
      urgency: referrals.urgency,
      urgencyConfidence: referrals.urgencyConfidence,
      specialty: referrals.specialty,
      specialtyConfidence: referrals.specialtyConfidence,
      team: referrals.team,
      receivedAt: documents.receivedAt,
    })
    .from(reviewTasks)
    .innerJoin(referrals, eq(referrals.id, reviewTasks.referralId))
    .innerJoin(documents, eq(documents.id, reviewTasks.documentId))
    .leftJoin(tokens, eq(tokens.id, reviewTasks.claimedBy))
    .where(eq(reviewTasks.status, status))
    .orderBy(asc(reviewTasks.createdAt))
    .limit(limit);
}

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
        eq(reviewTasks.status, 'open'),
        or(isNull(reviewTasks.claimedBy), lt(reviewTasks.claimExpiresAt, now), eq(reviewTasks.claimedBy, tokenId)),
      ),
    )
    .returning();
  if (task) return { kind: 'claimed', task };
  const [current] = await db
    .select({ status: reviewTasks.status, by: tokens.name, until: reviewTasks.claimExpiresAt })
    .from(reviewTasks)
    .leftJoin(tokens, eq(tokens.id, reviewTasks.claimedBy))
    .where(eq(reviewTasks.id, id));
  if (!current) return { kind: 'not_found' };
  if (current.status !== 'open') return { kind: 'not_open' };
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
        eq(reviewTasks.status, 'open'),
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
    .where(eq(reviewTasks.status, 'open'));
  return row?.n ?? 0;
}
