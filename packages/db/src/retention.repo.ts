import { and, eq, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { classifications, documents, pages, referralFieldSets } from './schema.ts';

/**
 * Documents retention may purge: finished (routed, failed or rejected) before `before`, not yet purged.
 * A document waiting in review is not finished: its reviewer still needs the content.
 */
export async function findPurgeable(db: Executor, before: Date, limit: number): Promise<{ id: string }[]> {
  return db
    .select({ id: documents.id })
    .from(documents)
    .where(and(isNull(documents.purgedAt), inArray(documents.status, ['routed', 'failed', 'rejected']), lt(documents.completedAt, before)))
    .orderBy(documents.completedAt)
    .limit(limit);
}

export type PurgeResult = {
  id: string;
  storageKey: string;
  /** False when another document that is not purged shares the content-addressed original. */
  deleteBlob: boolean;
} | null;

/**
 * Purges one document's content inside `tx`: page text blanked and marked purged, classifier evidence
 * (which quotes the text) emptied, the document marked `purgedAt`. The documents row, labels, confidences,
 * referral, review decision, provenance and audit stay. The caller deletes the original after this, in the
 * same transaction, so a failed delete rolls the purge back and the next run tries again.
 */
export async function purgeDocumentContent(tx: Executor, id: string, now = new Date()): Promise<PurgeResult> {
  const [doc] = await tx
    .update(documents)
    .set({ purgedAt: now, updatedAt: now })
    .where(and(eq(documents.id, id), isNull(documents.purgedAt)))
    .returning({ id: documents.id, storageKey: documents.storageKey });
  if (!doc) return null;
  await tx.update(pages).set({ text: '', purgedAt: now, updatedAt: now }).where(eq(pages.documentId, id));
  await tx.update(classifications).set({ evidence: sql`'[]'::jsonb` }).where(eq(classifications.documentId, id));
  // Field values are PHI read from the content: they go with it (which fields were found or missing stays).
  await tx.update(referralFieldSets).set({ fields: '', purgedAt: now }).where(eq(referralFieldSets.documentId, id));
  const shared = await unpurgedSharers(tx, doc.storageKey, id);
  return { id: doc.id, storageKey: doc.storageKey, deleteBlob: shared === 0 };
}

/** Documents other than `exceptId` that still need this original (each statement sees rows committed since). */
export async function unpurgedSharers(tx: Executor, storageKey: string, exceptId?: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(documents)
    .where(and(eq(documents.storageKey, storageKey), isNull(documents.purgedAt), exceptId ? ne(documents.id, exceptId) : undefined));
  return row?.n ?? 0;
}
