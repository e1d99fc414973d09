import type { Db } from './client.ts';
import { sequenceAudit } from './audit.repo.ts';

export type AuditSequencer = { stop(): Promise<void>; idle(): Promise<void> };

/**
 * Chains pending audit events every `intervalMs` in every long-running process; the advisory lock lets one run at a
 * time, so more processes mean more availability, not more work. Errors (Postgres away) are logged and retried.
 */
export function startAuditSequencer(db: Db, opts: { intervalMs?: number; batch?: number; log?: { warn: (o: object, m: string) => void } } = {}): AuditSequencer {
  const intervalMs = opts.intervalMs ?? 200;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      // Drain in batches: a backlog after an outage is caught up at once, not one batch per interval.
      for (let i = 0; i < 50 && !stopped; i++) {
        const r = await sequenceAudit(db, { batch: opts.batch ?? 1000 });
        if (r.busy || r.sequenced < (opts.batch ?? 1000)) break;
      }
    } catch (e) {
      opts.log?.warn({ err: { name: (e as Error).name, code: (e as { code?: string }).code } }, 'audit sequencer run failed; retrying');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    idle: () => running,
  };
}
