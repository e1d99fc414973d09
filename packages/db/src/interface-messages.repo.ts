import { and, desc, eq, inArray, isNotNull, isNull, sql, TransactionRollbackError } from 'drizzle-orm';
import type { Db, Executor } from './client.ts';
import { appendAudit } from './audit.repo.ts';
import { documents, interfaceMessages } from './schema.ts';
import type { DocumentRow, NewDocument } from './documents.repo.ts';

export type InterfaceMessageRow = typeof interfaceMessages.$inferSelect;
export type NewInterfaceMessage = typeof interfaceMessages.$inferInsert;

/** The message a resend repeats: same sender, control id and bytes. */
export async function findMessage(db: Executor, m: Pick<NewInterfaceMessage, 'sender' | 'controlId' | 'sha256'>): Promise<InterfaceMessageRow | undefined> {
  return (await seenControlId(db, m)).same;
}

/**
 * What the sender already sent under this control id, in one read: the same bytes (a resend: answer with its ACK)
 * and whether other bytes used it (a reused id, not a resend).
 */
export async function seenControlId(
  db: Executor,
  m: Pick<NewInterfaceMessage, 'sender' | 'controlId' | 'sha256'>,
): Promise<{ same: InterfaceMessageRow | undefined; reused: boolean }> {
  const rows = await db
    .select()
    .from(interfaceMessages)
    .where(and(eq(interfaceMessages.sender, m.sender), eq(interfaceMessages.controlId, m.controlId)))
    .limit(50);
  return { same: rows.find((r) => r.sha256 === m.sha256), reused: !!m.controlId && rows.some((r) => r.sha256 !== m.sha256) };
}

/** Documents already made from messages with this referral key, newest first. */
export async function documentsForKey(db: Executor, referralKey: string): Promise<DocumentRow[]> {
  const rows = await db
    .selectDistinctOn([documents.id], { doc: documents, at: interfaceMessages.receivedAt })
    .from(interfaceMessages)
    .innerJoin(documents, eq(documents.id, interfaceMessages.documentId))
    .where(and(eq(interfaceMessages.referralKey, referralKey), eq(interfaceMessages.status, 'accepted'), isNotNull(interfaceMessages.documentId)))
    .orderBy(documents.id, desc(interfaceMessages.receivedAt));
  return rows.sort((a, b) => b.at.getTime() - a.at.getTime()).map((r) => r.doc);
}

type Actor = { actor: string; ip?: string | null };

/**
 * Stores a message that makes no document (refused, or a cancel). Returns the stored row; if a concurrent copy of
 * the same message won the insert, that copy's row (and so its ACK).
 */
export async function recordMessage(
  db: Db,
  m: NewInterfaceMessage,
  audit: Actor & { action: string; detail: Record<string, unknown> },
  /** A cancel: the referrals it marks cancelled, in the same transaction. */
  cancels: string[] = [],
): Promise<InterfaceMessageRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(interfaceMessages).values(m).onConflictDoNothing().returning();
    if (!row) return (await findMessage(tx, m))!;
    if (cancels.length) {
      await tx.update(documents).set({ cancelledAt: new Date(), updatedAt: new Date() }).where(and(inArray(documents.id, cancels), isNull(documents.cancelledAt)));
    }
    await appendAudit(tx, { actor: audit.actor, ip: audit.ip ?? null, action: audit.action, documentId: m.relatedDocumentId ?? null, detail: audit.detail });
    return row;
  });
}

/**
 * Commits the document and the message that carried it together, so the ACK can say "stored". A document with the
 * same bytes from the same sender is reused only when `reuse` allows it (a resend of the same referral); otherwise
 * `fallbackSource` keeps two patients' identical attachments (a blank form, say) from merging into one case.
 */
export async function acceptMessageDocument(
  db: Db,
  input: { message: NewInterfaceMessage; document: NewDocument & { intakeFields: string | null; intakeFlags: string[]; supersedes: string | null }; fallbackSource: string; reuse: (existing: DocumentRow) => boolean },
  audit: Actor & { detail: Record<string, unknown> },
): Promise<{ message: InterfaceMessageRow; document: DocumentRow; created: boolean; raced: boolean }> {
  return db.transaction(async (tx) => {
    let created = true;
    let [doc] = await tx.insert(documents).values(input.document).onConflictDoNothing().returning();
    if (!doc) {
      const [existing] = await tx
        .select()
        .from(documents)
        .where(and(eq(documents.source, input.document.source), eq(documents.sha256, input.document.sha256), isNull(documents.purgedAt)));
      if (existing && input.reuse(existing)) {
        doc = existing;
        created = false;
      } else {
        [doc] = await tx.insert(documents).values({ ...input.document, source: input.fallbackSource }).returning();
      }
    }
    const [message] = await tx.insert(interfaceMessages).values({ ...input.message, documentId: doc!.id }).onConflictDoNothing().returning();
    if (!message) {
      // The same message committed first from another connection: undo ours, answer with its row.
      tx.rollback();
    }
    await appendAudit(tx, {
      actor: audit.actor,
      ip: audit.ip ?? null,
      action: created ? 'document_received' : 'document_duplicate',
      documentId: doc!.id,
      detail: audit.detail,
    });
    return { message: message!, document: doc!, created, raced: false };
  }).catch(async (e: unknown) => {
    if (!(e instanceof TransactionRollbackError)) throw e;
    const winner = (await findMessage(db, input.message))!;
    const [doc] = await db.select().from(documents).where(eq(documents.id, winner.documentId!));
    return { message: winner, document: doc!, created: false, raced: true };
  });
}

/** For operators: messages refused or in error, newest first (no content, ids and reasons only). */
export async function listMessages(db: Executor, opts: { status?: string; limit?: number } = {}): Promise<InterfaceMessageRow[]> {
  return db
    .select()
    .from(interfaceMessages)
    .where(opts.status ? eq(interfaceMessages.status, opts.status) : sql`true`)
    .orderBy(desc(interfaceMessages.receivedAt))
    .limit(opts.limit ?? 100);
}

/** The HL7 message a document was made from (the first accepted one), for the application response. */
export async function hl7MessageForDocument(db: Executor, documentId: string): Promise<InterfaceMessageRow | undefined> {
  const [row] = await db
    .select()
    .from(interfaceMessages)
    .where(and(eq(interfaceMessages.documentId, documentId), eq(interfaceMessages.protocol, 'hl7v2'), eq(interfaceMessages.status, 'accepted')))
    .orderBy(interfaceMessages.receivedAt)
    .limit(1);
  return row;
}
