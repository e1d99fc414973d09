import { and, asc, eq, lt, lte, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { outbox } from './schema.ts';

export type OutboxRow = typeof outbox.$inferSelect;

export async function enqueueEmail(
  tx: Executor,
  e: { referralId: string; documentId: string; recipient: string; kind: string },
): Promise<void> {
  await tx.insert(outbox).values(e).onConflictDoNothing();
}

export async function listOutboxForReferral(db: Executor, referralId: string): Promise<OutboxRow[]> {
  return db.select().from(outbox).where(eq(outbox.referralId, referralId)).orderBy(asc(outbox.createdAt));
}

/**
 * Takes a pending row for sending. Only one caller wins; a row left in `sending` by a crash is never
 * retried automatically — the sweeper marks it `unknown` for an operator, because the mail may have gone.
 */
export async function beginSend(db: Executor, id: string): Promise<OutboxRow | undefined> {
  const [row] = await db
    .update(outbox)
    .set({ status: 'sending', sendingAt: new Date(), attempts: sql`${outbox.attempts} + 1` })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, new Date())))
    .returning();
  return row;
}

export async function markSent(db: Executor, id: string, messageId: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'sent', messageId, sentAt: new Date(), lastError: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'sending')));
}

/** The SMTP server refused before accepting the message: safe to try again later. */
export async function markRetry(db: Executor, id: string, error: string, nextAttemptAt: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'pending', lastError: error, nextAttemptAt })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'sending')));
}

/** The outcome is unknown (connection lost after DATA): never resend automatically. */
export async function markUnknown(db: Executor, id: string, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'unknown', lastError: error })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'sending')));
}

export async function sweepStaleSending(db: Executor, olderThan: Date): Promise<number> {
  const res = await db
    .update(outbox)
    .set({ status: 'unknown', lastError: 'sender stopped while sending; delivery unknown' })
    .where(and(eq(outbox.status, 'sending'), lt(outbox.sendingAt, olderThan)))
    .returning({ id: outbox.id });
  return res.length;
}

/** Emails whose delivery is unknown: an operator checks with the team before anything is resent. */
export async function listUnknownEmails(db: Executor, limit = 500) {
  return db
    .select({ id: outbox.id, referralId: outbox.referralId, documentId: outbox.documentId, recipient: outbox.recipient, lastError: outbox.lastError, sendingAt: outbox.sendingAt })
    .from(outbox)
    .where(eq(outbox.status, 'unknown'))
    .orderBy(asc(outbox.sendingAt))
    .limit(limit);
}
