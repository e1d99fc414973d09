import type { Executor } from './client.ts';
import { auditEvents } from './schema.ts';

export type AuditEvent = {
  actor: string;
  action: string;
  documentId?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown> | null;
  allowed?: boolean;
};

/** Append-only record of who read or decided what. Ids and labels only, never document content. */
export async function recordAudit(db: Executor, e: AuditEvent): Promise<void> {
  await db.insert(auditEvents).values({
    actor: e.actor,
    action: e.action,
    documentId: e.documentId ?? null,
    ip: e.ip ?? null,
    detail: e.detail ?? null,
    allowed: e.allowed ?? true,
  });
}
