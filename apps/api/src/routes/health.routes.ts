import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { Gauge } from 'prom-client';
import { DOCUMENT_STATUSES, STAGES } from '@triage/contracts';
import { countOpenReviewTasks, rowsOf } from '@triage/db';
import { sendCanary } from '@triage/queue';
import { type ApiDeps } from '../api-deps.ts';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), ms).unref())]);

export function healthRoutes(deps: ApiDeps) {
  const queueDepth = new Gauge({
    name: 'triage_queue_jobs',
    help: 'Jobs per stage queue and state',
    labelNames: ['stage', 'state'],
    registers: [deps.registry],
  });
  const docsByStatus = new Gauge({ name: 'triage_documents', help: 'Documents by status', labelNames: ['status'], registers: [deps.registry] });
  const reviewOpen = new Gauge({ name: 'triage_review_open_tasks', help: 'Open review tasks', registers: [deps.registry] });
  // From the ledger, not Redis: still true after Redis lost its data, so an autoscaler can scale on it.
  const backlog = new Gauge({ name: 'triage_stage_backlog', help: 'Documents not yet finished, by the stage they are in (from Postgres)', labelNames: ['stage'], registers: [deps.registry] });
  const oldest = new Gauge({
    name: 'triage_queue_oldest_age_seconds',
    help: 'Time since the longest-waiting unfinished document in each stage last moved (from Postgres)',
    labelNames: ['stage'],
    registers: [deps.registry],
  });

  return async (app: FastifyInstance) => {
    app.get('/healthz', async () => ({ ok: true }));

    // ?canary=1 also proves a worker consumes (e.g. after a Redis restart), not just that Redis answers.
    app.get('/readyz', async (req, reply) => {
      const checks: Record<string, string> = {};
      let canary: { worker: string; ms: number } | undefined;
      const deep = (req.query as Record<string, string> | undefined)?.canary === '1';
      await withTimeout(deps.db.execute(sql`select 1`), 2000).then(
        () => (checks.postgres = 'ok'),
        (e: Error) => (checks.postgres = `down: ${e.message}`),
      );
      await withTimeout(deps.redis.ping(), 2000).then(
        () => (checks.redis = 'ok'),
        (e: Error) => (checks.redis = `down: ${e.message}`),
      );
      if (deep && checks.redis === 'ok') {
        const c = await sendCanary(deps.queues.canary).catch((e: Error) => ({ ok: false as const, error: e.message }));
        checks.workers = c.ok ? 'ok' : `down: ${c.error}`;
        if (c.ok) canary = { worker: c.worker, ms: c.ms };
      }
      const ready = Object.values(checks).every((v) => v === 'ok');
      return reply.code(ready ? 200 : 503).send({ ready, checks, ...(canary ? { canary } : {}) });
    });

    app.get('/metrics', async (_req, reply) => {
      try {
        const depths = await withTimeout(deps.queues.depths(), 2000);
        for (const s of STAGES) for (const [state, n] of Object.entries(depths[s])) queueDepth.set({ stage: s, state }, n);
      } catch {
        // Redis down: the scrape still answers with what it has.
      }
      const rows = rowsOf<{ status: string; n: number }>(
        await deps.db.execute(sql`select status, count(*)::int as n from documents group by status`),
      );
      for (const status of DOCUMENT_STATUSES) docsByStatus.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
      const stages = rowsOf<{ stage: string; n: number; age: number | null }>(
        await deps.db.execute(sql`select stage, count(*)::int as n, extract(epoch from now() - min(updated_at))::float8 as age
          from documents where status in ('received', 'processing') group by stage`),
      );
      for (const s of STAGES) {
        const r = stages.find((x) => x.stage === s);
        backlog.set({ stage: s }, Number(r?.n ?? 0));
        oldest.set({ stage: s }, Number(r?.age ?? 0));
      }
      reviewOpen.set(await countOpenReviewTasks(deps.db));
      return reply.type(deps.registry.contentType).send(await deps.registry.metrics());
    });
  };
}
