import { Gauge, type Registry } from 'prom-client';
import { auditBacklog, listPauses, type Db } from '@triage/db';
import { scrapeSnapshot } from './scrape-snapshot.ts';

/** Operator gauges read from Postgres at scrape time: the audit sequencer's backlog, and the pause switch. */
export function createOpsMetrics(registry: Registry, db: Db) {
  const snapshot = scrapeSnapshot(() => auditBacklog(db));
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
  new Gauge({
    name: 'triage_routing_paused',
    help: 'Automatic routing paused (1) for a scope (* or a team), by whom (operator, circuit_breaker)',
    labelNames: ['scope', 'source'],
    registers: [registry],
    async collect() {
      const pauses = await listPauses(db).catch(() => null);
      if (!pauses) return;
      this.reset();
      for (const p of pauses) this.set({ scope: p.scope, source: p.source }, 1);
    },
  });
}
