/**
 * pnpm dashboard:picture [--documents 300] [--clients 16] [--workers 2] [--hl7 12] [--scrape 2] [--step 2] [--window 10s|as-is] [--out docs/dashboard.png] [--keep]
 *
 * A picture of deploy/monitoring/dashboard.json drawn from a real scale run, for the README. Grafana is not
 * installable on the build machine, so: a private Prometheus (Debian's `prometheus`) scrapes the API's and every
 * worker's `/metrics` while bench/processes-bench.ts runs the `pnpm scale-test` harness (processes started through
 * the CLI, documents uploaded over HTTP), then every panel's query is run through `/api/v1/query_range` over the
 * run's window, drawn by render-dashboard.ts as one HTML page and screenshotted in Chromium.
 * Only the PNG lands in the repository; the Prometheus data, its config and the HTML are in a temp dir, removed at
 * the end (`--keep` keeps it). Prometheus and every process started here are stopped on exit, error or signal.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { runProcessesBench } from '../../../bench/processes-bench.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../test/browser/browser.ts';
import { freePort } from '../../../test/chaos/processes.ts';
import { panelQueries, renderDashboardHtml, type Dashboard, type MatrixSeries, type TargetResult } from './render-dashboard.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '300' },
    clients: { type: 'string', default: '16' },
    workers: { type: 'string', default: '2' },
    hl7: { type: 'string', default: '12' },
    scrape: { type: 'string', default: '2' },
    step: { type: 'string', default: '2' },
    window: { type: 'string', default: '10s' },
    out: { type: 'string', default: 'docs/dashboard.png' },
    keep: { type: 'boolean', default: false },
  },
});
const DOCS = Number(values.documents);
const CLIENTS = Number(values.clients);
const WORKERS = Number(values.workers);
const HL7 = Number(values.hl7);
const SCRAPE = Number(values.scrape);
const STEP = Number(values.step);
/** `as-is` runs the dashboard's own `[5m]`/`[1h]` windows; otherwise they are shortened to this, said in the caption. */
const WINDOW = values.window === 'as-is' ? undefined : values.window!;
const OUT = resolve(ROOT, values.out!);

let prometheus: ChildProcess | undefined;
/** The temp dir (Prometheus config and data, the HTML), removed at the end unless --keep. */
let tmp: string | undefined;

/** Every live child of this process (by pid, from /proc): what runProcessesBench spawned, Prometheus, Chromium. */
function ownChildren(): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${e}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (ppid === process.pid) pids.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function stopPrometheus() {
  const p = prometheus;
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}

// A signal skips the `finally`s below: stop what this process started (by pid), then leave.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`\n${sig}: stopping prometheus and the triage processes`);
    for (const pid of ownChildren()) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    setTimeout(() => {
      if (tmp && !values.keep) rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    }, 3000).unref();
  });
}
process.on('exit', () => {
  if (prometheus && prometheus.exitCode === null && prometheus.signalCode === null) prometheus.kill('SIGKILL');
});

async function promJson<T>(base: string, path: string): Promise<T> {
  const res = await fetch(`${base}${path}`);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? res.status}`);
  return body.data;
}

/** Thrown inside `waitFor` to stop waiting at once. */
class Fatal extends Error {}

async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      if (e instanceof Fatal) throw e;
      last = e;
    }
    await sleep(250);
  }
  throw new Error(`${what} (waited ${timeoutMs} ms)${last ? `: ${String(last)}` : ''}`);
}

/** A Prometheus duration (`10s`, `1m`, `1h30m`) in seconds. */
function seconds(d: string): number {
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  return [...d.matchAll(/(\d+)(ms|[smhdwy])/g)].reduce((a, m) => a + Number(m[1]) * unit[m[2]!]!, 0);
}

/** A made-up HL7 v2 referral (REF^I12): the patient, the referrer and the clinic are invented. */
function hl7Referral(i: number): string {
  const id = `DASH-${Date.now()}-${i}`;
  const priority = ['S^STAT', 'A^ASAP', 'R^Routine'][i % 3];
  return [
    `MSH|^~\\&|GPSYS|HILLSURGERY|TRIAGE|HOSP|20261201101500||REF^I12^REF_I12|${id}|P|2.5.1`,
    `RF1|A^Accepted|${priority}^HL70280|Med||O|REF-${id}^HILL|20261201`,
    'PRD|RP|Okafor^Ngozi^^^Dr|1 High St^^Leeds^^LS1 1AA||^WPN^PH^^^0113^4960000~^WPN^FX^^^0113^4960001||1234567893^NPI|||Hill Surgery',
    'PRD|RT|Team^Cardiology||^^^Cardiology Clinic',
    `PID|1||MRN${id}^^^HOSP^MR||Quill^Ottoline||19580405|F|||2 Low Rd^^Leeds^^LS2 2BB`,
    'DG1|1||I20.0^Unstable angina^I10|Unstable angina',
    'NTE|||Three weeks of exertional chest tightness radiating to the left arm.',
  ].join('\r');
}

async function main() {
  const started = Date.now();
  const dashboard = JSON.parse(await readFile(join(HERE, '../dashboard.json'), 'utf8')) as Dashboard;
  tmp = await mkdtemp(join(tmpdir(), 'triage-dashboard-'));
  const dir = tmp;
  const promPort = await freePort();
  const prom = `http://127.0.0.1:${promPort}`;
  let from = 0;
  let to = 0;
  let hl7Sent: Promise<string[]> = Promise.resolve([]);
  try {
    const run = await runProcessesBench({
      processes: ['api', ...Array.from({ length: WORKERS }, () => 'worker')],
      documents: DOCS,
      clients: CLIENTS,
      observe: {
        async booted({ apiUrl, token, workerHttpPorts }) {
          const api = new URL(apiUrl).host;
          const config = [
            'global:',
            `  scrape_interval: ${SCRAPE}s`,
            `  scrape_timeout: ${Math.max(1000, SCRAPE * 1000 - 500)}ms`,
            `  evaluation_interval: ${SCRAPE}s`,
            'scrape_configs:',
            '  - job_name: triage-api',
            '    static_configs:',
            `      - targets: ['${api}']`,
            '  - job_name: triage-worker',
            '    static_configs:',
            `      - targets: [${workerHttpPorts.map((p) => `'127.0.0.1:${p}'`).join(', ')}]`,
            '',
          ].join('\n');
          await writeFile(join(dir, 'prometheus.yml'), config);
          const log = createWriteStream(join(dir, 'prometheus.log'));
          prometheus = spawn(
            'prometheus',
            [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--storage.tsdb.retention.time=1d'],
            { stdio: ['ignore', 'pipe', 'pipe'] },
          );
          prometheus.stdout!.pipe(log);
          prometheus.stderr!.pipe(log);
          const child = prometheus;
          await waitFor('prometheus ready', 30_000, async () => {
            if (child.exitCode !== null) throw new Fatal(`prometheus exited (${child.exitCode}):\n${await readFile(join(dir, 'prometheus.log'), 'utf8')}`);
            return (await fetch(`${prom}/-/ready`)).ok ? true : undefined;
          });
          const targets = await waitFor('every target scraped and up', 30_000, async () => {
            const t = await promJson<{ activeTargets: { scrapeUrl: string; health: string }[] }>(prom, '/api/v1/targets');
            return t.activeTargets.length === 1 + workerHttpPorts.length && t.activeTargets.every((a) => a.health === 'up') ? t.activeTargets : undefined;
          });
          console.error(`prometheus on ${prom} scraping every ${SCRAPE} s: ${targets.map((t) => t.scrapeUrl).join(', ')}`);
          from = Math.floor(Date.now() / 1000) - SCRAPE;
          await sleep(2 * SCRAPE * 1000); // a little idle before the load
          // HL7 v2 over HTTP beside the PDF uploads, one message every two seconds, so the HL7 panel has data.
          hl7Sent = (async () => {
            const acks: string[] = [];
            for (let i = 0; i < HL7; i++) {
              await sleep(2000);
              try {
                const res = await fetch(`${apiUrl}/v1/hl7`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'x-application/hl7-v2+er7' }, body: hl7Referral(i) });
                acks.push(res.headers.get('x-triage-hl7-status') ?? String(res.status));
              } catch (e) {
                acks.push(`not sent (${(e as Error).message})`);
              }
            }
            return acks;
          })();
        },
        async done() {
          const acks = await hl7Sent;
          if (acks.length) console.error(`HL7 over HTTP: ${acks.length} messages, ${[...new Set(acks)].map((s) => `${acks.filter((a) => a === s).length} ${s}`).join(', ')}`);
          // A few more scrapes: the final state (documents by status, empty queues) is in Prometheus and the
          // rates have fallen back to 0.
          await sleep(Math.max(2 * SCRAPE, Math.min(60, seconds(WINDOW ?? '5m') + SCRAPE)) * 1000 + 500);
          to = Math.ceil(Date.now() / 1000);
        },
      },
    });
    console.error(`scale run: ${run.documents} documents, ${run.endToEndPerSecond.toFixed(1)} documents/s end to end, ${run.failed} failed`);

    const queries = panelQueries(dashboard, { interval: `${STEP}s`, rateInterval: WINDOW ?? `${Math.max(4 * SCRAPE, STEP + SCRAPE)}s`, range: `${to - from}s`, rangeWindow: WINDOW });
    const results: Record<string, TargetResult[]> = {};
    for (const q of queries) {
      const params = new URLSearchParams({ query: q.expr, start: String(from), end: String(to), step: `${STEP}s` });
      let r: TargetResult;
      try {
        const data = await promJson<{ resultType: string; result: MatrixSeries[] }>(prom, `/api/v1/query_range?${params}`);
        r = { refId: q.refId, expr: q.expr, legendFormat: q.legendFormat, series: data.result };
      } catch (e) {
        r = { refId: q.refId, expr: q.expr, legendFormat: q.legendFormat, series: [], error: (e as Error).message };
      }
      (results[q.panelKey] ??= []).push(r);
      const finite = r.series.filter((s) => s.values.some(([, v]) => Number.isFinite(Number(v)))).length;
      console.error(`panel ${q.panelKey}${q.refId}: ${r.error ? `ERROR ${r.error}` : `${r.series.length} series (${finite} with values)`}  ${q.expr}`);
    }
    await stopPrometheus();

    const worker = WORKERS === 1 ? 'worker process' : 'worker processes';
    const html = renderDashboardHtml({
      dashboard,
      results,
      from,
      to,
      step: STEP,
      rangeWindow: WINDOW,
      notes: [
        `The run: bench/processes-bench.ts (the harness of pnpm scale-test): 1 API + ${WORKERS} ${worker} started through the CLI against one Postgres and one Redis, ` +
          `${DOCS} one-page born-digital PDFs uploaded over HTTP by ${CLIENTS} clients${HL7 ? ` and ${HL7} HL7 v2 referrals over HTTP POST /v1/hl7` : ''}; ` +
          `${run.endToEndPerSecond.toFixed(1)} documents/s end to end, ${run.failed} failed. No reviewer acted during the run.`,
        `Prometheus ${promVersion()} scraped the API's and each worker's /metrics every ${SCRAPE} s; times are UTC.`,
      ],
    });
    const htmlPath = join(dir, 'dashboard.html');
    await writeFile(htmlPath, html);

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
      // Nothing on the page loads anything; refuse the network anyway.
      await page.route(/^(?!file:)/, (r) => r.abort());
      await page.goto(pathToFileURL(htmlPath).href);
      await mkdir(dirname(OUT), { recursive: true });
      await page.screenshot({ path: OUT, fullPage: true });
    } finally {
      await browser.close();
    }
    console.error(`wrote ${OUT} in ${((Date.now() - started) / 1000).toFixed(0)} s${values.keep ? `; html and prometheus data kept in ${dir}` : ''}`);
  } finally {
    await stopPrometheus();
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
}

function promVersion(): string {
  const v = spawnSync('prometheus', ['--version'], { encoding: 'utf8' });
  return /version (\S+)/.exec(`${v.stdout}${v.stderr}`)?.[1] ?? '';
}

main().then(
  () => process.exit(0),
  async (e) => {
    console.error(e);
    await stopPrometheus();
    process.exit(1);
  },
);
