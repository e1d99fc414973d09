import { and, desc, eq } from 'drizzle-orm';
import { binding, openText, sealText, type Keyring } from '@triage/crypto';
import type { Executor } from './client.ts';
import { referralFieldSets } from './schema.ts';

export type NewFieldSet = {
  documentId: string;
  run: number;
  /** The ReferralFields object: sealed here, never stored or logged in the clear. */
  fields: unknown;
  found: string[];
  missing: string[];
  conflicts: string[];
  fieldsVersion: string;
  clinicsVersion: string;
};

export type FieldSetRow = Omit<typeof referralFieldSets.$inferSelect, 'fields'> & { fields: unknown };

export async function insertFieldSet(tx: Executor, f: NewFieldSet, keyring: Keyring): Promise<void> {
  const sealed = sealText(keyring, JSON.stringify(f.fields), binding.fields(f.documentId, f.run));
  await tx.insert(referralFieldSets).values({ ...f, fields: sealed }).onConflictDoNothing();
}

/** The newest pass's fields, opened; retention-purged sets come back empty. */
export async function latestFieldSet(db: Executor, documentId: string, keyring: Keyring): Promise<FieldSetRow | undefined> {
  const [row] = await db
    .select()
    .from(referralFieldSets)
    .where(eq(referralFieldSets.documentId, documentId))
    .orderBy(desc(referralFieldSets.run))
    .limit(1);
  if (!row) return undefined;
  return { ...row, fields: row.purgedAt ? {} : JSON.parse(openText(keyring, row.fields, binding.fields(row.documentId, row.run))) };
}

/** A reviewer's correction: a new sealed value for the same pass, so the set stays one row per pass. */
export async function replaceFieldSet(tx: Executor, documentId: string, run: number, fields: unknown, found: string[], missing: string[], conflicts: string[], keyring: Keyring) {
  const sealed = sealText(keyring, JSON.stringify(fields), binding.fields(documentId, run));
  await tx
    .update(referralFieldSets)
    .set({ fields: sealed, found, missing, conflicts })
    .where(and(eq(referralFieldSets.documentId, documentId), eq(referralFieldSets.run, run)));
}
