import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { stageAttempts, stageRuns } from './schema.ts';

export type AttemptRow = typeof stageAttempts.$inferSelect;
export type NewAttempt = Pick<
  typeof stageAttempts.$inferInsert,
  'documentId' | 'stage' | 'run' | 'jobId' | 'attempt' | 'worker' | 'codeVersion' | 'inputDigest'
>;
export type AttemptEnd = Pick<
  typeof stageAttempts.$inferInsert,
  'outcome' | 'errorClass' | 'errorMessage' | 'outputDigest' | 'modelVersion' | 'policyVersion' | 'detail'
>;

export async function startAttempt(db: Executor, a: NewAttempt): Promise<number> {
  const [row] = await db.insert(stageAttempts).values(a).returning({ id: stageAttempts.id });
  if (!row) throw new Error('attempt insert returned nothing');
  return row.id;
}

export async function endAttempt(db: Executor, id: number, end: AttemptEnd): Promise<void> {
  await db
    .update(stageAttempts)
    .set({ ...end, endedAt: new Date() })
    .where(and(eq(stageAttempts.id, id), eq(stageAttempts.outcome, 'running')));
}

export async function listAttempts(db: Executor, documentId: string): Promise<AttemptRow[]> {
  return db.select().from(stageAttempts).where(eq(stageAttempts.documentId, documentId)).orderBy(asc(stageAttempts.id));
}

export type StageRunRow = typeof stageRuns.$inferSelect;

export async function getStageRun(db: Executor, documentId: string, stage: string, run: number) {
  const [row] = await db
    .select()
    .from(stageRuns)
    .where(and(eq(stageRuns.documentId, documentId), eq(stageRuns.stage, stage), eq(stageRuns.run, run)));
  return row;
}

/** Marks a stage's output as committed. False when another execution committed it first. */
export async function commitStageRun(
  tx: Executor,
  r: { documentId: string; stage: string; run: number; outcome: unknown; outputDigest: string | null },
): Promise<boolean> {
  const res = await tx.insert(stageRuns).values(r).onConflictDoNothing().returning({ stage: stageRuns.stage });
  return res.length > 0;
}

/** Counts attempts that died without ending (worker killed): the poison detector reads this. */
export async function countDeadAttempts(db: Executor, documentId: string, stage: string, run: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(stageAttempts)
    .where(
      and(
        eq(stageAttempts.documentId, documentId),
        eq(stageAttempts.stage, stage),
        eq(stageAttempts.run, run),
        eq(stageAttempts.outcome, 'running'),
      ),
    );
  return row?.n ?? 0;
}

