import { createHash } from 'node:crypto';
import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Db, Executor } from './client.ts';
import { auditEvents } from './schema.ts';

export type AuditEvent = {
  actor: string;
  action: string;
  documentId?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown> | null;
  allowed?: boolean;
};

const AUDIT_LOCK = 7_362_003;
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
 * Appends to the hash-chained trail. Ids and labels only, never document content. Writers serialise on an
 * advisory lock so each event chains to the one committed before it.
 */
export async function recordAudit(db: Db, e: AuditEvent): Promise<void> {
  await db.transaction(async (tx) => appendAudit(tx, e));
}

export async function appendAudit(tx: Executor, e: AuditEvent): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
  const prevHash = last?.hash ?? AUDIT_GENESIS;
  const at = new Date();
  const row = {
    at,
    actor: e.actor,
    action: e.action,
    documentId: e.documentId ?? null,
    ip: e.ip ?? null,
    detail: e.detail ?? null,
    allowed: e.allowed ?? true,
  };
  await tx.insert(auditEvents).values({ ...row, prevHash, hash: auditHash(prevHash, row) });
}

export type AuditVerification = { ok: true; events: number } | { ok: false; events: number; brokenAt: number; why: string };

/** Recomputes the chain from the start; names the first event whose link or content does not match. */
export async function verifyAuditChain(db: Executor, batch = 5000): Promise<AuditVerification> {
  let prev = AUDIT_GENESIS;
  let after = 0;
  let n = 0;
  for (;;) {
    const rows = await db.select().from(auditEvents).where(gt(auditEvents.id, after)).orderBy(asc(auditEvents.id)).limit(batch);
    if (rows.length === 0) return { ok: true, events: n };
    for (const r of rows) {
      n++;
      if (r.prevHash !== prev) return { ok: false, events: n, brokenAt: r.id, why: 'previous-hash link does not match' };
      const expect = auditHash(prev, { ...r, detail: r.detail ?? null });
      if (r.hash !== expect) return { ok: false, events: n, brokenAt: r.id, why: 'content does not match its hash' };
      prev = r.hash;
      after = r.id;
    }
  }
}
