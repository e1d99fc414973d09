/**
 * pnpm bench [--digital N] [--scanned N] [--noop N]   (in-process)
 * pnpm bench --processes api,worker,worker [--documents N] [--clients C]   (from outside: bench/processes-bench.ts)
 * Documents per second end to end and per-stage p50/p95, next to the same machine's limits measured
 * in the same run: raw BullMQ over the five-queue chain, and the tesseract CLI on the same page.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { rowsOf } from '@triage/db';
import { createNativeTesseractEngine, createTesseractJsEngine, makeBornDigitalPdf, makeImageOnlyPdf, renderPage } from '@triage/documents';
import { createTestDb, randomPrefix, waitFor, TEST_REDIS_URL } from '@triage/testkit';
import { policyWith, startSystem, type System } from '../test/e2e/system.ts';
import { CARDIO_LETTER, SCAN_TEXT } from '../test/e2e/letters.ts';
import { rawBullmqChain } from './raw-bullmq.ts';
import { runnerNoopChain } from './runner-noop.ts';

// `pnpm bench --processes api,worker,worker`: the same measurement from outside, through the CLI and HTTP.
if (process.argv.includes('--processes')) await import('./processes-bench.ts');

const { values } = parseArgs({ options: { digital: { type: 'string' }, scanned: { type: 'string' }, noop: { type: 'string' } } });
const N_DIGITAL = Number(values.digital ?? 300);
const N_SCANNED = Number(values.scanned ?? 12);
const N_NOOP = Number(values.noop ?? 1000);

const basePolicy = JSON.parse(await readFile(new URL('../policy/routing-policy.json', import.meta.url), 'utf8'));

async function pushAll(sys: System, token: string, docs: Buffer[], concurrency = 16): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < docs.length) {
        const body = docs[next++]!;
        const res = await fetch(`${sys.url}/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' }, body });
        if (res.status !== 202) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
        ids.push(((await res.json()) as { id: string }).id);
      }
    }),
  );
  return ids;
}

async function stageStats(sys: System, ids: string[]) {
  const rows = rowsOf<{ stage: string; p50: number; p95: number; n: number }>(
    await sys.rt.dbh.db.execute(sql`
      select stage, count(*)::int as n,
        percentile_cont(0.5) within group (order by extract(epoch from ended_at - started_at) * 1000) as p50,
        percentile_cont(0.95) within group (order by extract(epoch from ended_at - started_at) * 1000) as p95
      from stage_attempts where document_id = any(${`{${ids.join(',')}}`}::uuid[]) and outcome = 'succeeded'
      group by stage order by min(id)`),
  );
  return rows.map((r) => `${r.stage} p50 ${Number(r.p50).toFixed(1)} ms / p95 ${Number(r.p95).toFixed(1)} ms`).join('; ');
}

async function endToEnd(sys: System, token: string, docs: Buffer[]) {
  const t0 = performance.now();
  const ids = await pushAll(sys, token, docs);
  await waitFor(
    async () => {
      const [r] = rowsOf<{ n: number }>(
        await sys.rt.dbh.db.execute(sql`select count(*)::int as n from documents where id = any(${`{${ids.join(',')}}`}::uuid[]) and status in ('routed','needs_review','failed','rejected')`),
      );
      return Number(r?.n) === ids.length;
    },
    { timeoutMs: 1_800_000, intervalMs: 50 },
  );
  const seconds = (performance.now() - t0) / 1000;
  const [failed] = rowsOf<{ n: number }>(await sys.rt.dbh.db.execute(sql`select count(*)::int as n from documents where id = any(${`{${ids.join(',')}}`}::uuid[]) and status = 'failed'`));
  return { perSecond: ids.length / seconds, seconds, stats: await stageStats(sys, ids), failed: Number(failed?.n ?? 0) };
}

const out: string[] = [];
const line = (s: string) => {
  out.push(s);
  console.log(s);
};

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

const sys = await startSystem({
  policy: policyWith({ urgency: 0, specialty: 0, emergentReview: 1 }, basePolicy),
  env: { OCR_MIN_CONFIDENCE: '0', LOG_LEVEL: 'warn', WORKER_CONCURRENCY: '16' },
});
try {
  const token = await sys.token('intake');
  line(`# bench on ${(await import('node:os')).cpus().length} cores, node ${process.version}`);

  const digital = await Promise.all(Array.from({ length: N_DIGITAL }, (_, i) => makeBornDigitalPdf([`${CARDIO_LETTER}\nbench copy ${i} ${Date.now()}`])));
  const d = await endToEnd(sys, token, digital);
  line(`born-digital 1-page PDF: ${d.perSecond.toFixed(1)} docs/s end to end (${N_DIGITAL} docs in ${d.seconds.toFixed(1)} s, ${d.failed} failed); ${d.stats}`);

  const scanned = await Promise.all(Array.from({ length: N_SCANNED }, (_, i) => makeImageOnlyPdf([`${SCAN_TEXT}\nfax ${i}`])));
  const s = await endToEnd(sys, token, scanned);
  line(`scanned 1-page fax PDF: ${s.perSecond.toFixed(2)} docs/s end to end (${N_SCANNED} docs in ${s.seconds.toFixed(1)} s, ${s.failed} failed); ${s.stats}`);
  line(`peak RSS of the all-in-one process (API + all stages + 1 OCR worker): ${(peakRss / 1e6).toFixed(0)} MB`);

  const raw = await rawBullmqChain(TEST_REDIS_URL, randomPrefix(), N_NOOP * 2, 16);
  line(`raw BullMQ, no-op processors over the 5-queue chain: ${raw.toFixed(0)} chains/s`);
  // Its own database: the system's reconciler must not pick up documents that have no original.
  const noopDb = await createTestDb();
  const ours = await runnerNoopChain(noopDb.db, TEST_REDIS_URL, randomPrefix(), N_NOOP, 16);
  await noopDb.drop();
  line(`project runner, no-op handlers, provenance rows included: ${ours.toFixed(0)} chains/s (${(ours / raw).toFixed(2)}x raw BullMQ; target >= 0.5x)`);

  // OCR engines on the same rendered fax page, one thread each.
  const page = await renderPage(scanned[0]!, 'pdf', 1, { dpi: 200, timeoutMs: 60_000, maxMemoryMb: 512, maxPixels: 60_000_000 });
  const K = 6;
  const js = createTesseractJsEngine({ workers: 1 });
  await js.recognize(page);
  let t0 = performance.now();
  for (let i = 0; i < K; i++) await js.recognize(page);
  const jsRate = K / ((performance.now() - t0) / 1000);
  await js.close();
  const native = createNativeTesseractEngine();
  if (native) {
    await native.recognize(page);
    t0 = performance.now();
    for (let i = 0; i < K; i++) await native.recognize(page);
    const nRate = K / ((performance.now() - t0) / 1000);
    await native.close();
    line(`OCR per core: tesseract.js ${jsRate.toFixed(2)} pages/s vs tesseract CLI (OMP_THREAD_LIMIT=1) ${nRate.toFixed(2)} pages/s = ${(jsRate / nRate).toFixed(2)}x (target >= 0.8x)`);
  } else {
    line(`OCR per core: tesseract.js ${jsRate.toFixed(2)} pages/s (tesseract CLI not installed; apt-get install tesseract-ocr to compare)`);
  }
} finally {
  clearInterval(rssTimer);
  await sys.stop();
}
process.exit(0);
