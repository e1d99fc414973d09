import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { classifications, referrals, reviewTasks } from './schema.ts';

export type ClassificationRow = typeof classifications.$inferSelect;
export type ReferralRow = typeof referrals.$inferSelect;
export type NewReferral = Omit<typeof referrals.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export async function insertClassification(tx: Executor, c: Omit<typeof classifications.$inferInsert, 'id' | 'createdAt'>) {
  await tx.insert(classifications).values(c).onConflictDoNothing();
}

/** The newest classification (a replay from persist reuses the one from the earlier pass). */
export async function latestClassification(db: Executor, documentId: string): Promise<ClassificationRow | undefined> {
  const [row] = await db
    .select()
    .from(classifications)
    .where(eq(classifications.documentId, documentId))
    .orderBy(desc(classifications.run))
    .limit(1);
  return row;
}

export async function getReferralByDocument(db: Executor, documentId: string): Promise<ReferralRow | undefined> {
  const [row] = await db.select().from(referrals).where(eq(referrals.documentId, documentId));
  return row;
}

/** One referral per document, whatever the number of passes: the id stays, so the outbox key stays. */
export async function upsertReferral(tx: Executor, r: NewReferral): Promise<ReferralRow> {
  const [row] = await tx
    .insert(referrals)
    .values(r)
    .onConflictDoUpdate({
      target: referrals.documentId,
      set: {
        decision: sql`excluded.decision`,
        state: sql`excluded.state`,
        urgency: sql`excluded.urgency`,
        urgencyConfidence: sql`excluded.urgency_confidence`,
        specialty: sql`excluded.specialty`,
        specialtyConfidence: sql`excluded.specialty_confidence`,
        team: sql`excluded.team`,
        teamEmail: sql`excluded.team_email`,
        reasons: sql`excluded.reasons`,
        redFlags: sql`excluded.red_flags`,
        basis: sql`excluded.basis`,
        modelVersion: sql`excluded.model_version`,
        policyVersion: sql`excluded.policy_version`,
        decidedBy: sql`excluded.decided_by`,
        updatedAt: new Date(),
      },
    })
    .returning();
  if (!row) throw new Error('referral upsert returned nothing');
  return row;
}

export async function updateReferral(tx: Executor, id: string, patch: Partial<NewReferral>): Promise<void> {
  await tx.update(referrals).set({ ...patch, updatedAt: new Date() }).where(eq(referrals.id, id));
}

export async function latestDecidedTask(db: Executor, documentId: string) {
  const [row] = await db
    .select()
    .from(reviewTasks)
    .where(and(eq(reviewTasks.documentId, documentId), eq(reviewTasks.status, 'decided')))
    .orderBy(desc(reviewTasks.decidedAt))
    .limit(1);
  return row;
}
