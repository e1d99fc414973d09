import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from './client.ts';
import type { DocumentRow } from './documents.repo.ts';

export type AttemptStart = {
  documentId: string;
  stage: string;
  run: number;
  jobId: string;
  attempt: number;
  worker: string;
  codeVersion: string;
};

export type StageState = {
  attemptId: number;
  doc: DocumentRow;
  committed: { outcome: unknown; outputDigest: string | null } | null;
  /** Other attempts of this stage and run that started and never ended (their worker died or hangs). */
  unfinished: number;
};

type Raw = Record<string, unknown>;
const date = (v: unknown) => (v == null ? null : v instanceof Date ? v : new Date(String(v)));
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/**
 * Records the attempt and reads everything the runner decides on, in one round trip (the hot path).
 * The input digest is the output digest of the stage committed last in this run, or the original's hash.
 */
export async function beginAttempt(db: Executor, a: AttemptStart): Promise<StageState | undefined> {
  const rows = rowsOf<Raw>(
    await db.execute(sql`
      with d as (select * from documents where id = ${a.documentId}),
      a as (
        insert into stage_attempts (document_id, stage, run, job_id, attempt, worker, code_version, input_digest)
        select d.id, ${a.stage}, ${a.run}, ${a.jobId}, ${a.attempt}, ${a.worker}, ${a.codeVersion},
          coalesce((select s.output_digest from stage_runs s where s.document_id = d.id and s.run = ${a.run}
                    and s.stage <> ${a.stage} and s.output_digest is not null order by s.completed_at desc limit 1), d.sha256)
        from d
        returning id
      ),
      u as (
        update documents set status = 'processing', updated_at = now()
        where id = ${a.documentId} and run = ${a.run} and status = 'received' returning 1
      )
      select a.id as attempt_id, d.*, (select count(*) from u)::int as started, sr.outcome as committed_outcome, sr.output_digest as committed_digest,
        sr.completed_at as committed_at,
        (select count(*)::int from stage_attempts x where x.document_id = d.id and x.stage = ${a.stage}
          and x.run = ${a.run} and x.outcome = 'running') as unfinished
      from d cross join a
      left join stage_runs sr on sr.document_id = d.id and sr.stage = ${a.stage} and sr.run = ${a.run}`),
  );
  const r = rows[0];
  if (!r) return undefined;
  const doc: DocumentRow = {
    id: String(r.id),
    source: String(r.source),
    externalId: (r.external_id as string | null) ?? null,
    idempotencyKey: (r.idempotency_key as string | null) ?? null,
    sha256: String(r.sha256),
    kind: r.kind as DocumentRow['kind'],
    byteSize: Number(r.byte_size),
    storageKey: String(r.storage_key),
    storageKeyId: (r.storage_key_id as string | null) ?? null,
    // The first attempt moves a received document to processing in the same statement.
    status: (Number(r.started) > 0 ? 'processing' : r.status) as DocumentRow['status'],
    stage: String(r.stage),
    run: Number(r.run),
    failureReason: (r.failure_reason as string | null) ?? null,
    failureMessage: (r.failure_message as string | null) ?? null,
    createdBy: (r.created_by as string | null) ?? null,
    receivedAt: date(r.received_at)!,
    updatedAt: date(r.updated_at)!,
    completedAt: date(r.completed_at),
    purgedAt: date(r.purged_at),
    intakeFields: (r.intake_fields as string | null) ?? null,
    intakeFlags: Array.isArray(r.intake_flags) ? (r.intake_flags as string[]) : [],
    supersedes: (r.supersedes as string | null) ?? null,
    cancelledAt: date(r.cancelled_at),
  };
  return {
    attemptId: Number(r.attempt_id),
    doc,
    committed: r.committed_at != null ? { outcome: json(r.committed_outcome), outputDigest: (r.committed_digest as string | null) ?? null } : null,
    unfinished: Number(r.unfinished),
  };
}

export type StageCommit = {
  documentId: string;
  stage: string;
  run: number;
  attemptId: number;
  outcome: unknown;
  outputDigest: string | null;
  modelVersion: string | null;
  policyVersion: string | null;
  detail: unknown;
  next: { kind: 'next'; stage: string } | { kind: 'end'; status: string };
};

/**
 * Marks the stage done, moves the document and ends the attempt in one statement. Returns false when
 * another execution committed this stage first (the caller's transaction must then roll back).
 */
export async function commitStage(tx: Executor, c: StageCommit): Promise<boolean> {
  const docSet =
    c.next.kind === 'next'
      ? sql`status = 'processing', stage = ${c.next.stage}`
      : sql`status = ${c.next.status}::document_status, completed_at = now()`;
  const rows = rowsOf<{ won: number }>(
    await tx.execute(sql`
      with sr as (
        insert into stage_runs (document_id, stage, run, outcome, output_digest)
        values (${c.documentId}, ${c.stage}, ${c.run}, ${JSON.stringify(c.outcome)}::jsonb, ${c.outputDigest})
        on conflict do nothing returning 1
      ),
      d as (
        update documents set ${docSet}, updated_at = now()
        where id = ${c.documentId} and run = ${c.run} and exists (select 1 from sr) returning 1
      ),
      a as (
        update stage_attempts set outcome = 'succeeded', ended_at = now(), output_digest = ${c.outputDigest},
          model_version = ${c.modelVersion}, policy_version = ${c.policyVersion}, detail = ${JSON.stringify(c.detail)}::jsonb
        where id = ${c.attemptId} and outcome = 'running' and exists (select 1 from sr) returning 1
      )
      select (select count(*) from sr)::int as won, (select count(*) from d)::int as moved, (select count(*) from a)::int as ended`),
  );
  return Number(rows[0]?.won ?? 0) > 0;
}
