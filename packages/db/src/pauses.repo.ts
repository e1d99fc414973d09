import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db, Executor } from './client.ts';
import { appendAudit } from './audit.repo.ts';
import { documents, reviewTasks, routingPauses } from './schema.ts';

export type PauseRow = typeof routingPauses.$inferSelect;
export const ALL_TEAMS = '*';

export async function listPauses(db: Executor): Promise<PauseRow[]> {
  return db.select().from(routingPauses).orderBy(routingPauses.scope);
}

/** Whether a decision for `team` must go to a person: everything is paused, or that team is. */
export function pausedFor(pauses: readonly PauseRow[], team: string | null): PauseRow | undefined {
  return pauses.find((p) => p.scope === ALL_TEAMS) ?? (team ? pauses.find((p) => p.scope === team) : undefined);
}

/** Sets the switch (audited); false when that scope was already paused, so a caller alerts only on a real change. */
export async function pauseRouting(db: Db, p: { scope: string; reason: string; source: 'operator' | 'circuit_breaker'; actor: string; detail?: Record<string, unknown> }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(routingPauses).values({ scope: p.scope, reason: p.reason, source: p.source, pausedBy: p.actor }).onConflictDoNothing().returning();
    if (!row) return false;
    await appendAudit(tx, { actor: p.actor, action: p.source === 'circuit_breaker' ? 'circuit_breaker_tripped' : 'routing_paused', detail: { scope: p.scope, reason: p.reason, ...p.detail } });
    return true;
  });
}

/** Clears the switch (audited); `source` limits it (the breaker only clears its own pause, never an operator's). */
export async function resumeRouting(db: Db, p: { scope: string; actor: string; source?: 'operator' | 'circuit_breaker'; detail?: Record<string, unknown> }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const where = p.source ? and(eq(routingPauses.scope, p.scope), eq(routingPauses.source, p.source)) : eq(routingPauses.scope, p.scope);
    const [row] = await tx.delete(routingPauses).where(where).returning();
    if (!row) return false;
    await appendAudit(tx, { actor: p.actor, action: row.source === 'circuit_breaker' && p.source === 'circuit_breaker' ? 'circuit_breaker_cleared' : 'routing_resumed', detail: { scope: p.scope, was: row.reason, ...p.detail } });
    return true;
  });
}

/** What the circuit breaker watches over a window: reviewer overrides of the model, and documents that failed. */
export async function breakerRates(db: Executor, since: Date): Promise<{ reviewed: number; overridden: number; finished: number; failed: number }> {
  const action = sql`${reviewTasks.decision}->>'action'`;
  const changed = sql`(${action} = 'correct' and (${reviewTasks.decision}->>'urgency' <> ${reviewTasks.predictedUrgency} or ${reviewTasks.decision}->>'specialty' <> ${reviewTasks.predictedSpecialty}))`;
  const [r] = await db
    .select({ n: sql<number>`count(*)::int`, o: sql<number>`(count(*) filter (where ${changed}))::int` })
    .from(reviewTasks)
    .where(and(eq(reviewTasks.status, 'decided'), gte(reviewTasks.decidedAt, since), sql`${action} in ('confirm', 'correct')`, sql`${reviewTasks.predictedUrgency} is not null`));
  const [d] = await db
    .select({ n: sql<number>`count(*)::int`, f: sql<number>`(count(*) filter (where ${documents.status} = 'failed'))::int` })
    .from(documents)
    .where(and(gte(documents.completedAt, since), sql`${documents.status} in ('routed', 'needs_review', 'failed', 'rejected')`));
  return { reviewed: Number(r?.n ?? 0), overridden: Number(r?.o ?? 0), finished: Number(d?.n ?? 0), failed: Number(d?.f ?? 0) };
}
