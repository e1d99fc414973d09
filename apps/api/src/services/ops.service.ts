import { and, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { stageName, type StageName } from '@triage/contracts';
import { getDocument, schema, startNewRun, type Db } from '@triage/db';
import type { StageQueues } from '@triage/queue';

export type ReplayResult = { documentId: string; run: number; fromStage: StageName };

/** Retention purged the document's content: there is nothing left to run a pass on. */
export class DocumentPurgedError extends Error {
  override name = 'DocumentPurgedError';
  constructor(readonly documentId: string) {
    super(`document ${documentId} was purged by retention; its content is gone`);
  }
}

/** Starts a new pass from a stage. History stays: attempts of earlier passes are never touched. */
export async function replayDocument(
  db: Db,
  queues: Pick<StageQueues, 'enqueue'>,
  documentId: string,
  fromStage?: StageName,
): Promise<ReplayResult | null> {
  const doc = await getDocument(db, documentId);
  if (!doc) return null;
  if (doc.purgedAt) throw new DocumentPurgedError(documentId);
  const stage = fromStage ?? (doc.status === 'failed' ? stageName.catch('extract').parse(doc.stage) : 'extract');
  const run = await startNewRun(db, documentId, stage);
  if (!run) return null;
  await queues.enqueue(stage, { documentId, run });
  return { documentId, run, fromStage: stage };
}

export type FailureFilter = { reason?: string | undefined; stage?: string | undefined; since?: Date | undefined; limit?: number };

export async function listFailures(db: Db, f: FailureFilter = {}) {
  const d = schema.documents;
  const conds = [eq(d.status, 'failed'), isNull(d.purgedAt)];
  if (f.reason) conds.push(eq(d.failureReason, f.reason));
  if (f.stage) conds.push(eq(d.stage, f.stage));
  if (f.since) conds.push(gte(d.updatedAt, f.since));
  const rows = await db
    .select({
      id: d.id,
      kind: d.kind,
      source: d.source,
      stage: d.stage,
      run: d.run,
      reason: d.failureReason,
      message: d.failureMessage,
      receivedAt: d.receivedAt,
      failedAt: d.completedAt,
    })
    .from(d)
    .where(and(...conds))
    .orderBy(desc(d.updatedAt))
    .limit(f.limit ?? 500);
  if (rows.length === 0) return [];
  const attempts = await db
    .select({
      documentId: schema.stageAttempts.documentId,
      n: sql<number>`count(*)::int`,
    })
    .from(schema.stageAttempts)
    .where(inArray(schema.stageAttempts.documentId, rows.map((r) => r.id)))
    .groupBy(schema.stageAttempts.documentId);
  const counts = new Map(attempts.map((a) => [a.documentId, Number(a.n)]));
  return rows.map((r) => ({ ...r, attempts: counts.get(r.id) ?? 0 }));
}

/** Bulk replay of failed documents matching a filter. */
export async function replayFailures(db: Db, queues: Pick<StageQueues, 'enqueue'>, f: FailureFilter, fromStage?: StageName) {
  const failures = await listFailures(db, f);
  const out: ReplayResult[] = [];
  for (const x of failures) {
    const r = await replayDocument(db, queues, x.id, fromStage);
    if (r) out.push(r);
  }
  return out;
}
