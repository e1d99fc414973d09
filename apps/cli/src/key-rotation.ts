import { sql } from 'drizzle-orm';
import { binding, keyIdOfText, openText, sealText, textPrefixFor, type Keyring } from '@triage/crypto';
import { recordAudit, rowsOf, type Db } from '@triage/db';
import type { SealedBlobStore } from '@triage/storage';

export type RotationCounts = { originals: number; pages: number; externalIds: number; reviewNotes: number };
export type RotationReport = { keyId: string; resealed: RotationCounts; failed: RotationCounts };

export type RotationDeps = { db: Db; keyring: Keyring; blobs: SealedBlobStore };

const zero = (): RotationCounts => ({ originals: 0, pages: 0, externalIds: 0, reviewNotes: 0 });

/** A sealed value re-sealed under the current key; a legacy plaintext value (no `tc1:` prefix) sealed for the first time. */
function resealText(ring: Keyring, value: string, bind: string): string {
  const plaintext = keyIdOfText(value) === null ? value : openText(ring, value, bind);
  return sealText(ring, plaintext, bind);
}

/**
 * Moves every ciphertext not under the current key onto it, batch by batch. Each row is updated only if it
 * still holds what was read, so a rerun (after a crash, or alongside live writes) is safe and finishes the job.
 * Rows that fail (a key missing from the ring, a missing original) are counted and skipped; fix and run it again.
 */
export async function rotateKeys(deps: RotationDeps, opts: { batch?: number; actor?: string } = {}): Promise<RotationReport> {
  const batch = opts.batch ?? 200;
  const { db, keyring } = deps;
  const current = keyring.currentId;
  const prefix = textPrefixFor(current);
  const resealed = zero();
  const failed = zero();
  const attempt = async (kind: keyof RotationCounts, fn: () => Promise<boolean>) => {
    try {
      if (await fn()) resealed[kind]++;
    } catch (e) {
      // A row this ring cannot open, or an original gone missing: count it, go on; anything else (the database) stops the run.
      if ((e as Error).name !== 'DecryptError' && (e as Error).name !== 'BlobNotFoundError') throw e;
      failed[kind]++;
    }
  };

  // Originals: the row says which key its blob is under.
  for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
    const rows = rowsOf<{ id: string; storage_key: string }>(
      await db.execute(sql`select id, storage_key from documents
        where storage_key_id is distinct from ${current} and id > ${after} order by id limit ${batch}`),
    );
    for (const r of rows) {
      await attempt('originals', async () => {
        const next = await deps.blobs.reseal(r.storage_key, binding.original(r.id));
        const newKey = next?.key ?? r.storage_key;
        const moved = rowsOf(
          await db.execute(sql`update documents set storage_key = ${newKey}, storage_key_id = ${current}
            where id = ${r.id} and storage_key = ${r.storage_key} returning 1`),
        ).length > 0;
        if (!next) return moved;
        // Drop the old ciphertext once no row points at it (legacy plaintext blobs could be shared); if the row moved under us, drop ours.
        const stale = moved ? r.storage_key : next.key;
        const shared = rowsOf(await db.execute(sql`select 1 from documents where storage_key = ${stale} limit 1`)).length > 0;
        if (!shared) await deps.blobs.remove(stale);
        return moved;
      });
    }
    const last = rows.at(-1);
    if (!last) break;
    after = last.id;
  }

  // Page text.
  for (let after = { doc: '00000000-0000-0000-0000-000000000000', page: -1 }; ; ) {
    const rows = rowsOf<{ document_id: string; page_no: number; text: string }>(
      await db.execute(sql`select document_id, page_no, text from pages
        where left(text, ${prefix.length}) <> ${prefix} and (document_id, page_no) > (${after.doc}::uuid, ${after.page})
        order by document_id, page_no limit ${batch}`),
    );
    for (const r of rows) {
      await attempt('pages', async () => {
        const next = resealText(keyring, r.text, binding.page(r.document_id, Number(r.page_no)));
        return rowsOf(
          await db.execute(sql`update pages set text = ${next}
            where document_id = ${r.document_id} and page_no = ${r.page_no} and text = ${r.text} returning 1`),
        ).length > 0;
      });
    }
    const last = rows.at(-1);
    if (!last) break;
    after = { doc: last.document_id, page: Number(last.page_no) };
  }

  // External ids.
  for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
    const rows = rowsOf<{ id: string; external_id: string }>(
      await db.execute(sql`select id, external_id from documents
        where external_id is not null and left(external_id, ${prefix.length}) <> ${prefix} and id > ${after} order by id limit ${batch}`),
    );
    for (const r of rows) {
      await attempt('externalIds', async () => {
        const next = resealText(keyring, r.external_id, binding.externalId(r.id));
        return rowsOf(
          await db.execute(sql`update documents set external_id = ${next} where id = ${r.id} and external_id = ${r.external_id} returning 1`),
        ).length > 0;
      });
    }
    const last = rows.at(-1);
    if (!last) break;
    after = last.id;
  }

  // Reviewers' free text inside the decision: the note (reasons are codes and stay readable).
  for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
    const rows = rowsOf<{ id: string; value: string }>(
      await db.execute(sql`select id, decision->>'note' as value from review_tasks
        where decision->>'note' is not null and left(decision->>'note', ${prefix.length}) <> ${prefix} and id > ${after}
        order by id limit ${batch}`),
    );
    for (const r of rows) {
      await attempt('reviewNotes', async () => {
        const next = resealText(keyring, r.value, binding.reviewNote(r.id));
        return rowsOf(
          await db.execute(sql`update review_tasks set decision = jsonb_set(decision, '{note}', to_jsonb(${next}::text))
            where id = ${r.id} and decision->>'note' = ${r.value} returning 1`),
        ).length > 0;
      });
    }
    const last = rows.at(-1);
    if (!last) break;
    after = last.id;
  }

  const report = { keyId: current, resealed, failed };
  await recordAudit(db, { actor: opts.actor ?? 'cli', action: 'keys_rotated', detail: report });
  return report;
}
