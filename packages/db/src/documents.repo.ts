import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { binding, openText, sealText, type Keyring } from '@triage/crypto';
import type { Db, Executor } from './client.ts';
import { documents, pages } from './schema.ts';

export type DocumentRow = typeof documents.$inferSelect;
export type NewDocument = Pick<
  typeof documents.$inferInsert,
  'source' | 'externalId' | 'idempotencyKey' | 'sha256' | 'kind' | 'byteSize' | 'storageKey' | 'createdBy'
> &
  Partial<Pick<typeof documents.$inferInsert, 'id' | 'storageKeyId'>>;

/** The row an upload would duplicate (same bytes from the same source, or the caller's idempotency key). */
export async function findExistingDocument(
  db: Executor,
  doc: Pick<NewDocument, 'source' | 'sha256' | 'createdBy' | 'idempotencyKey'>,
): Promise<DocumentRow | undefined> {
  if (doc.idempotencyKey && doc.createdBy) {
    const [byKey] = await db
      .select()
      .from(documents)
      .where(and(eq(documents.createdBy, doc.createdBy), eq(documents.idempotencyKey, doc.idempotencyKey)));
    if (byKey) return byKey;
  }
  const [bySha] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.source, doc.source), eq(documents.sha256, doc.sha256), isNull(documents.purgedAt)));
  return bySha;
}

/**
 * Inserts the document unless the same bytes from the same source (not purged by retention), or the same idempotency key
 * from the same caller, already exist; then it returns the existing row and `duplicate: true`.
 */
export async function insertDocument(db: Db, doc: NewDocument): Promise<{ row: DocumentRow; duplicate: boolean }> {
  // Both unique indexes (bytes per source, key per caller) turn a duplicate into a no-op insert; intake looks first.
  const [inserted] = await db.insert(documents).values(doc).onConflictDoNothing().returning();
  if (inserted) return { row: inserted, duplicate: false };
  const [existing] = await db
    .select()
    .from(documents)
    .where(
      doc.idempotencyKey && doc.createdBy
        ? sql`(${documents.source} = ${doc.source} and ${documents.sha256} = ${doc.sha256} and ${documents.purgedAt} is null)
              or (${documents.createdBy} = ${doc.createdBy} and ${documents.idempotencyKey} = ${doc.idempotencyKey})`
        : and(eq(documents.source, doc.source), eq(documents.sha256, doc.sha256), isNull(documents.purgedAt)),
    );
  if (!existing) throw new Error('document insert conflicted but no existing row was found');
  return { row: existing, duplicate: true };
}

export async function getDocument(db: Executor, id: string): Promise<DocumentRow | undefined> {
  const [row] = await db.select().from(documents).where(eq(documents.id, id));
  return row;
}

/** Moves a document along, but only within the pass it belongs to (a stale job cannot rewind a newer run). */
export async function setDocumentState(
  db: Executor,
  id: string,
  run: number,
  patch: Partial<Pick<DocumentRow, 'status' | 'stage' | 'failureReason' | 'failureMessage' | 'completedAt'>>,
): Promise<boolean> {
  const res = await db
    .update(documents)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(documents.id, id), eq(documents.run, run)))
    .returning({ id: documents.id });
  return res.length > 0;
}

/** Starts a new pass from `stage` (replay or review decision); returns the new run number. */
export async function startNewRun(db: Executor, id: string, stage: string): Promise<number | undefined> {
  const [row] = await db
    .update(documents)
    .set({
      run: sql`${documents.run} + 1`,
      stage,
      status: 'processing',
      failureReason: null,
      failureMessage: null,
      completedAt: null,
      updatedAt: new Date(),
    })
    .where(eq(documents.id, id))
    .returning({ run: documents.run });
  return row?.run;
}

export type PageRow = typeof pages.$inferSelect;
export type NewPage = Omit<typeof pages.$inferInsert, 'updatedAt'>;

/** Page text is sealed here, bound to (document, page): callers pass and get plaintext. */
export async function upsertPages(db: Executor, rows: NewPage[], keyring: Keyring): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(pages)
    .values(rows.map((r) => ({ ...r, text: sealText(keyring, r.text, binding.page(r.documentId, r.pageNo)) })))
    .onConflictDoUpdate({
      target: [pages.documentId, pages.pageNo],
      set: {
        source: sql`excluded.source`,
        text: sql`excluded.text`,
        ocrConfidence: sql`excluded.ocr_confidence`,
        rotation: sql`excluded.rotation`,
        ocrEngine: sql`excluded.ocr_engine`,
        layout: sql`excluded.layout`,
        updatedAt: new Date(),
      },
    });
}

/** Pages with their text opened; a DecryptError means a wrong key or a ciphertext not of this row. */
export async function getPages(db: Executor, documentId: string, keyring: Keyring): Promise<PageRow[]> {
  const rows = await db.select().from(pages).where(eq(pages.documentId, documentId)).orderBy(asc(pages.pageNo));
  // Retention blanks purged pages: nothing left to open.
  return rows.map((r) => ({ ...r, text: r.purgedAt ? '' : openText(keyring, r.text, binding.page(r.documentId, r.pageNo)) }));
}
