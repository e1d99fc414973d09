import { Gauge, type Registry } from 'prom-client';
import { auditBacklog, type Db } from '@triage/db';

/** The audit sequencer's backlog, read from Postgres at scrape time (any process may be the one sequencing). */
export function createAuditMetrics(registry: Registry, db: Db) {
  let pending: Promise<{ pending: number; oldestMs: number } | null> | null = null;
  const snapshot = () => {
    pending ??= auditBacklog(db)
      .catch(() => null)
      .finally(() => setTimeout(() => (pending = null), 0));
    return pending;
  };
  new Gauge({
    name: 'triage_audit_pending_events',
    help: 'Audit events written but not yet in the hash chain',
    registers: [registry],
    async collect() {
      const s = await snapshot();
      if (s) this.set(s.pending);
    },
  });
  new Gauge({
    name: 'triage_audit_unsequenced_oldest_seconds',
    help: 'Age of the oldest audit event not yet in the hash chain (alert above AUDIT_UNSEQUENCED_ALERT_MS)',
    registers: [registry],
    async collect() {
      const s = await snapshot();
      if (s) this.set(s.oldestMs / 1000);
    },
  });
}
