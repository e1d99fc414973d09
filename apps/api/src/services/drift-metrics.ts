import { Gauge, type Registry } from 'prom-client';
import type { Db } from '@triage/db';
// Relative: @triage/api does not depend on @triage/evaluation, whose index would also load the classifier stack.
import { buildDriftReport, type DriftReport } from '@triage/evaluation/drift';

export type DriftMetricsOptions = {
  liveMs?: number;
  referenceMs?: number;
  minSamples?: number;
  /** The drift queries scan two windows of classifications and pages per model: at most one run per cacheMs. */
  cacheMs?: number;
};

/**
 * `triage_drift_psi{model,feature}`: PSI of the live window (default 1 day) against the reference (30 days before
 * the previous window), the same numbers as `triage drift report`. Features without enough data have no series
 * (a 0 would read as "no drift"). No audit event here: a scrape is not a report.
 */
export function createDriftMetrics(registry: Registry, db: Db, opts: DriftMetricsOptions = {}) {
  const ttl = opts.cacheMs ?? 5 * 60_000;
  let last: { at: number; report: DriftReport } | null = null;
  let attemptedAt = 0;
  let inflight: Promise<void> | null = null;
  const refresh = () => {
    attemptedAt = Date.now();
    inflight ??= buildDriftReport(db, {
      liveMs: opts.liveMs ?? 86_400_000,
      referenceMs: opts.referenceMs ?? 30 * 86_400_000,
      ...(opts.minSamples !== undefined && { minSamples: opts.minSamples }),
    })
      .then((report) => void (last = { at: Date.now(), report }))
      .catch(() => undefined) // keep the last values; the next try waits for the ttl too (no retry storm on a sick db)
      .finally(() => (inflight = null));
    return inflight;
  };
  new Gauge({
    name: 'triage_drift_psi',
    help: 'Population stability index of a drift feature, live window vs reference (warn >= 0.1, alert >= 0.25 twice running)',
    labelNames: ['model', 'feature'],
    registers: [registry],
    async collect() {
      // The first scrape waits; later ones answer from the cache and refresh it behind, so a scrape never waits on it.
      if (Date.now() - attemptedAt >= ttl) {
        const running = refresh();
        if (!last) await running;
      } else if (!last && inflight) await inflight;
      this.reset();
      if (!last || Date.now() - last.at > 3 * ttl) return; // failing for a while: no series beats a stale one
      for (const m of last.report.models) {
        for (const f of m.features) if (f.psi !== null) this.set({ model: m.model, feature: f.feature }, f.psi);
      }
    },
  });
}
