import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { appendAudit, findPurgeable, purgeDocumentContent, rowsOf, unpurgedSharers, type Db } from '@triage/db';
import type { BlobStore } from '@triage/storage';

const RETENTION_LOCK = 7_362_004;
const DAY_MS = 86_400_000;

export type RetentionOptions = { days: number; batch?: number; now?: Date; actor?: string };
export type RetentionResult = { purged: number; ids: string[]; blobsDeleted: number; cutoff: string } | { skipped: 'locked' | 'disabled' };

/**
 * One retention pass: purges the content of finished documents older than `days`, deletes their originals,
 * and writes one `retention_purged` audit event (count and ids), all in one transaction under an advisory
 * lock so only one process purges at a time. A blob delete that fails rolls the pass back.
 */
export async function runRetention(db: Db, blobs: BlobStore, opts: RetentionOptions): Promise<RetentionResult> {
  if (!(opts.days > 0)) return { skipped: 'disabled' };
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - opts.days * DAY_MS);
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ ok: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${RETENTION_LOCK}) as ok`));
    if (!lock?.ok) return { skipped: 'locked' as const };
    const ids: string[] = [];
    const blobKeys = new Set<string>();
    for (const { id } of await findPurgeable(tx, cutoff, opts.batch ?? 500)) {
      const r = await purgeDocumentContent(tx, id, now);
      if (!r) continue;
      ids.push(r.id);
      if (r.deleteBlob) blobKeys.add(r.storageKey);
    }
    for (const key of blobKeys) {
      // An upload of the same bytes may commit while we delete: keep the bytes until we have looked again.
      const bytes = await blobs.get(key).catch(() => null);
      await blobs.remove(key);
      if (bytes && (await unpurgedSharers(tx, key)) > 0) {
        await blobs.put(bytes);
        blobKeys.delete(key);
      }
    }
    await appendAudit(tx, {
      actor: opts.actor ?? 'system:retention',
      action: 'retention_purged',
      detail: { count: ids.length, ids, retentionDays: opts.days, cutoff: cutoff.toISOString(), blobsDeleted: blobKeys.size },
    });
    return { purged: ids.length, ids, blobsDeleted: blobKeys.size, cutoff: cutoff.toISOString() };
  });
}

/** Runs a pass every `intervalMs` in each worker process; the advisory lock makes one of them do it. */
export function startRetention(db: Db, blobs: BlobStore, log: Logger, opts: { days: number; intervalMs: number }) {
  if (!(opts.days > 0)) return { stop: () => {} };
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    runRetention(db, blobs, { days: opts.days })
      .then((r) => {
        if ('purged' in r && r.purged > 0) log.info({ purged: r.purged, blobsDeleted: r.blobsDeleted }, 'retention purged documents');
      })
      .catch((e: Error) => log.error({ err: { name: e.name, message: e.message } }, 'retention pass failed'))
      .finally(() => (running = false));
  };
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
