import { Gauge, Histogram, type Registry } from 'prom-client';
import { reviewStats, routingRates, type Executor } from '@triage/db';
import { scrapeSnapshot } from './scrape-snapshot.ts';

export type ReviewStats = Awaited<ReturnType<typeof computeReviewStats>>;

const rate = (rows: { label: string; n: number; overridden: number }[]) =>
  Object.fromEntries(rows.filter((r) => r.n > 0).map((r) => [r.label, r.overridden / r.n]));

/** Queue health and how often reviewers overrode the model, by predicted class and by model version. */
export async function computeReviewStats(db: Executor, now = new Date(), since = new Date(now.getTime() - 86_400_000)) {
  const [s, rates] = await Promise.all([reviewStats(db), routingRates(db, since)]);
  return {
    ...rates,
    queueSize: s.open.n,
    oldestAgeMs: s.open.oldest ? Math.max(0, now.getTime() - s.open.oldest.getTime()) : 0,
    timeToDecisionMs: { p50: s.decisionMs.p50, p95: s.decisionMs.p95 },
    overrideRate: { byUrgency: rate(s.byUrgency), bySpecialty: rate(s.bySpecialty), byModelVersion: rate(s.byModel) },
  };
}

/** The same numbers for Prometheus; gauges are read from Postgres at scrape time, so every API process agrees. */
export function createReviewMetrics(registry: Registry, stats: () => Promise<ReviewStats>) {
  const snapshot = scrapeSnapshot(stats);
  new Gauge({
    name: 'triage_review_queue_size',
    help: 'Open review tasks',
    registers: [registry],
    async collect() {
      const s = await snapshot();
      if (s) this.set(s.queueSize);
    },
  });
  new Gauge({
    name: 'triage_review_oldest_age_seconds',
    help: 'Age of the oldest open review task',
    registers: [registry],
    async collect() {
      const s = await snapshot();
      if (s) this.set(s.oldestAgeMs / 1000);
    },
  });
  new Gauge({
    name: 'triage_review_override_rate',
    help: 'Share of reviewed cases whose predicted label the reviewer changed, by head and predicted label',
    labelNames: ['head', 'label'],
    registers: [registry],
    async collect() {
      const s = await snapshot();
      if (!s) return;
      this.reset();
      for (const [label, v] of Object.entries(s.overrideRate.byUrgency)) this.set({ head: 'urgency', label }, v);
      for (const [label, v] of Object.entries(s.overrideRate.bySpecialty)) this.set({ head: 'specialty', label }, v);
    },
  });
  new Gauge({
    name: 'triage_review_override_rate_by_model',
    help: 'Share of reviewed cases with any label changed, by model version',
    labelNames: ['model_version'],
    registers: [registry],
    async collect() {
      const s = await snapshot();
      if (!s) return;
      this.reset();
      for (const [model_version, v] of Object.entries(s.overrideRate.byModelVersion)) this.set({ model_version }, v);
    },
  });
  const ratio = (name: string, help: string, pick: (s: ReviewStats) => number | null) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const s = await snapshot();
        const v = s ? pick(s) : null;
        if (v !== null) this.set(v);
      },
    });
  ratio('triage_no_touch_ratio', 'Share of referrals decided in the last 24 h that the model auto-routed', (s) => s.noTouch.rate);
  ratio('triage_audit_override_ratio', 'Share of decided audit samples (auto-routed cases sent for a second look) that a reviewer corrected or rejected', (s) => s.auditOverride.rate);
  const timeToDecision = new Histogram({
    name: 'triage_review_time_to_decision_seconds',
    help: 'From review task creation to the reviewer decision (decisions made through this process)',
    buckets: [60, 300, 900, 1800, 3600, 4 * 3600, 8 * 3600, 86_400, 5 * 86_400],
    registers: [registry],
  });
  return { observeDecision: (ms: number) => timeToDecision.observe(ms / 1000) };
}
