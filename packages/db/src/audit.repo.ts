import { createHash } from 'node:crypto';
import { asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db, Executor } from './client.ts';
import { auditChain, auditEvents, auditPending } from './schema.ts';
import { rowsOf } from './client.ts';

export type AuditEvent = {
  actor: string;
  action: string;
  documentId?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown> | null;
  allowed?: boolean;
};

/** One sequencer at a time, across every process (the writers take no lock at all). */
const SEQUENCER_LOCK = 7_362_003;
export const AUDIT_GENESIS = '0'.repeat(64);

type Hashable = { at: Date; actor: string; action: string; documentId: string | null; ip: string | null; detail: unknown; allowed: boolean };

/** Sorted keys at every level: jsonb does not keep key order, the hash must not depend on it. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  }
  return v;
}

export function auditHash(prevHash: string, e: Hashable): string {
  const canonicalForm = JSON.stringify([prevHash, e.at.toISOString(), e.actor, e.action, e.documentId, e.ip, canonical(e.detail ?? null), e.allowed]);
  return createHash('sha256').update(canonicalForm).digest('hex');
}

/**
 * Appends an event (ids and labels only, never document content): one statement, no lock. It joins the hash chain when a sequencer (every process runs one) next
 * takes the pending list, usually within a second; `verifyAuditChain` reports how many wait and for how long.
 */
export async function recordAudit(db: Executor, e: AuditEvent): Promise<void> {
  await appendAudit(db, e);
}

export async function appendAudit(tx: Executor, e: AuditEvent): Promise<void> {
  const detail = e.detail ? JSON.stringify(e.detail) : null;
  await tx.execute(sql`
    with e as (
      insert into audit_events (at, actor, action, document_id, ip, detail, allowed)
      values (${new Date().toISOString()}, ${e.actor}, ${e.action}, ${e.documentId ?? null}, ${e.ip ?? null}, ${detail}::jsonb, ${e.allowed ?? true})
      returning id, at
    )
    insert into audit_pending (event_id, at) select id, at from e`);
}

export type SequenceResult = { sequenced: number; busy: boolean; head: { seq: number; hash: string } | null };

/**
 * Chains up to `batch` pending events, in event-id order, after the current head; gap-free seq. Advisory-locked
 * (try, not wait): another process already sequencing is `busy`, not an error. All in one transaction, so a
 * sequencer killed mid-batch leaves nothing half-chained. `beforeCommit` exists for that test.
 */
export async function sequenceAudit(db: Db, opts: { batch?: number; beforeCommit?: () => void } = {}): Promise<SequenceResult> {
  return db.transaction(async (tx) => {
    const [lock] = rowsOf<{ ok: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) as ok`));
    if (!lock?.ok) return { sequenced: 0, busy: true, head: null };
    const [last] = await tx.select().from(auditChain).orderBy(desc(auditChain.seq)).limit(1);
    const events = await tx
      .select({ e: auditEvents })
      .from(auditPending)
      .innerJoin(auditEvents, eq(auditEvents.id, auditPending.eventId))
      .orderBy(asc(auditPending.eventId))
      .limit(opts.batch ?? 1000);
    let seq = last?.seq ?? 0;
    let prev = last?.hash ?? AUDIT_GENESIS;
    const links = events.map(({ e }) => {
      const hash = auditHash(prev, { ...e, detail: e.detail ?? null });
      const link = { seq: ++seq, eventId: e.id, prevHash: prev, hash };
      prev = hash;
      return link;
    });
    if (links.length) {
      await tx.insert(auditChain).values(links);
      await tx.delete(auditPending).where(inArray(auditPending.eventId, links.map((l) => l.eventId)));
    }
    opts.beforeCommit?.();
    return { sequenced: links.length, busy: false, head: links.length ? { seq, hash: prev } : last ? { seq: last.seq, hash: last.hash } : null };
  });
}

/** Runs the sequencer until nothing is pending (tests and `triage audit verify`). */
export async function sequenceAllAudit(db: Db): Promise<void> {
  for (;;) {
    const r = await sequenceAudit(db);
    if (!r.busy && r.sequenced === 0) return;
    if (r.busy) await new Promise((res) => setTimeout(res, 20));
  }
}

/** The chain head, for anchoring outside the database (print it, sign it, publish it). */
export async function auditHead(db: Executor): Promise<{ seq: number; hash: string; sequencedAt: Date } | null> {
  const [h] = await db.select().from(auditChain).orderBy(desc(auditChain.seq)).limit(1);
  return h ? { seq: h.seq, hash: h.hash, sequencedAt: h.sequencedAt } : null;
}

/** Events waiting for the sequencer: how many, and the oldest one's age (a metric and an alert past a bound). */
export async function auditBacklog(db: Executor): Promise<{ pending: number; oldestMs: number }> {
  const [r] = rowsOf<{ n: number; oldest: Date | string | null }>(await db.execute(sql`select count(*)::int n, min(at) oldest from audit_pending`));
  const oldest = r?.oldest ? new Date(r.oldest).getTime() : null;
  return { pending: Number(r?.n ?? 0), oldestMs: oldest === null ? 0 : Math.max(0, Date.now() - oldest) };
}

export type AuditVerification =
  | { ok: true; events: number; pending: number }
  | { ok: false; events: number; pending: number; brokenAt: number; why: string };

/**
 * Walks the chain by seq and recomputes every link: an edited event (content vs hash), a deleted one (its link
 * points at nothing), a deleted or inserted link (seq gap, previous-hash mismatch), a reordering (mismatch), and an
 * event slipped into audit_events outside the write path (neither chained nor pending). `brokenAt` is the seq,
 * or for an unchained event its id.
 */
export async function verifyAuditChain(db: Executor, batch = 5000): Promise<AuditVerification> {
  let prev = AUDIT_GENESIS;
  let after = 0;
  let n = 0;
  const [p] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int n from audit_pending`));
  const pending = Number(p?.n ?? 0);
  for (;;) {
    const rows = await db
      .select({ c: auditChain, e: auditEvents })
      .from(auditChain)
      .leftJoin(auditEvents, eq(auditEvents.id, auditChain.eventId))
      .where(gt(auditChain.seq, after))
      .orderBy(asc(auditChain.seq))
      .limit(batch);
    if (rows.length === 0) break;
    for (const { c, e } of rows) {
      n++;
      const broken = (why: string): AuditVerification => ({ ok: false, events: n, pending, brokenAt: c.seq, why });
      if (c.seq !== after + 1) return broken(`seq ${after + 1} is missing`);
      if (c.prevHash !== prev) return broken('previous-hash link does not match');
      if (!e) return broken('the event this link chains was deleted');
      if (c.hash !== auditHash(prev, { ...e, detail: e.detail ?? null })) return broken('content does not match its hash');
      prev = c.hash;
      after = c.seq;
    }
  }
  const [stray] = rowsOf<{ id: number }>(
    await db.execute(sql`select e.id from audit_events e where not exists (select 1 from audit_chain c where c.event_id = e.id)
      and not exists (select 1 from audit_pending p where p.event_id = e.id) order by e.id limit 1`),
  );
  if (stray) return { ok: false, events: n, pending, brokenAt: Number(stray.id), why: 'an event is in neither the chain nor the pending list' };
  return { ok: true, events: n, pending };
}
