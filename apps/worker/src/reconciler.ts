import { and, inArray, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { jobIdFor, stageName, type StageName } from '@triage/contracts';
import { rowsOf, schema, sweepStaleSending, type Db } from '@triage/db';
import type { StageQueues } from '@triage/queue';

const RECONCILER_LOCK = 7_362_002;

export type ReconcileResult = { checked: number; requeued: number; unknownEmails: number } | { skipped: 'locked' };

/**
 * Postgres is the ledger, Redis only holds work in flight: any document not yet terminal whose job is
 * gone from Redis (flush, restart, crash between commit and enqueue) is enqueued again.
 * An advisory lock keeps one reconciler at a time across every worker deployment.
 */
export async function reconcileOnce(
  db: Db,
  queues: StageQueues,
  log: Logger,
  opts: { staleMs: number; sendingStaleMs?: number },
): Promise<ReconcileResult> {
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ ok: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${RECONCILER_LOCK}) as ok`));
    if (!lock?.ok) return { skipped: 'locked' as const };
    const d = schema.documents;
    const stale = await tx
      .select({ id: d.id, stage: d.stage, run: d.run })
      .from(d)
      .where(and(inArray(d.status, ['received', 'processing']), lt(d.updatedAt, new Date(Date.now() - opts.staleMs))))
      .limit(1000);
    let requeued = 0;
    for (const doc of stale) {
      const stage = stageName.safeParse(doc.stage);
      if (!stage.success) continue;
      const payload = { documentId: doc.id, run: doc.run };
      const job = await queues.queues[stage.data].getJob(jobIdFor(stage.data, payload));
      const state = job ? await job.getState() : 'missing';
      if (state === 'missing' || state === 'unknown' || state === 'completed' || state === 'failed') {
        // A completed job with the document still here means the enqueue of the next stage was lost.
        if (job && (state === 'completed' || state === 'failed')) await job.remove().catch(() => undefined);
        await queues.enqueue(stage.data as StageName, payload);
        requeued++;
      }
    }
    const unknownEmails = await sweepStaleSending(tx, new Date(Date.now() - (opts.sendingStaleMs ?? 5 * 60_000)));
    if (requeued || unknownEmails) log.warn({ requeued, unknownEmails }, 'reconciler repaired state');
    return { checked: stale.length, requeued, unknownEmails };
  });
}

export function startReconciler(db: Db, queues: StageQueues, log: Logger, opts: { intervalMs: number; staleMs: number; sendingStaleMs?: number }) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    reconcileOnce(db, queues, log, opts)
      .catch((e: Error) => log.error({ err: { message: e.message } }, 'reconcile failed'))
      .finally(() => (running = false));
  }, opts.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
