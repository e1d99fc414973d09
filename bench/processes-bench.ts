/**
 * pnpm bench:processes [--processes api,worker,worker] [--documents 400] [--clients 32]
 * From outside, as an operator runs it: the processes are started through the CLI, documents are uploaded over
 * HTTP by N clients and their status is read through the API. Reports intake rate, end-to-end rate and per-stage
 * p50/p95, beside the machine's own limits measured in the same run (raw BullMQ chain, Postgres single-row commits).
 * (`pnpm bench` is the in-process figure: one process, completion read from the database.)
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { generateKeyLine } from '@triage/crypto';
import { createToken, rowsOf } from '@triage/db';
import { makeBornDigitalPdf } from '@triage/documents';
import { createTestDb, dropPrefix, randomPrefix, startTestSmtp, TEST_REDIS_URL } from '@triage/testkit';
import { freePort, spawnTriage, type Proc } from '../test/chaos/processes.ts';
import { CARDIO_LETTER, URO_LETTER } from '../test/e2e/letters.ts';
import { policyWith } from '../test/e2e/system.ts';
import { rawBullmqChain } from './raw-bullmq.ts';

const TERMINAL = new Set(['routed', 'needs_review', 'failed', 'rejected']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type ProcessesBenchResult = {
  processes: string[];
  documents: number;
  intakePerSecond: number;
  endToEndPerSecond: number;
  failed: number;
  stages: { stage: string; p50: number; p95: number }[];
  /** CPU seconds each spawned process used (user + system, from /proc), and per document. */
  cpuSeconds: Record<string, number>;
  cpuPerDocumentMs: number;
};

/** One run from outside: processes through the CLI, uploads and status reads over HTTP. */
export async function runProcessesBench(o: {
  processes: string[];
  documents: number;
  clients: number;
  limits?: boolean;
  /** Optional (deploy/monitoring/render): each worker gets its own WORKER_HTTP_PORT (`/metrics`); `booted` is awaited once every process runs, `done` once the last document is terminal, before teardown. */
  observe?: { booted(run: { apiUrl: string; token: string; workerHttpPorts: number[] }): Promise<void>; done(): Promise<void> };
}): Promise<ProcessesBenchResult & { rawBullmq?: number; commits?: number }> {
  const PROCS = o.processes;
  const N = o.documents;
  const C = o.clients;
  const tdb = await createTestDb();
  const smtp = await startTestSmtp();
  const prefix = randomPrefix();
  const dataDir = await mkdtemp(join(tmpdir(), 'triage-bench-'));
  const port = await freePort();
  const policy = policyWith({ urgency: 0, specialty: 0, emergentReview: 1 }, JSON.parse(await readFile(new URL('../policy/routing-policy.json', import.meta.url), 'utf8')));
  await writeFile(join(dataDir, 'policy.json'), JSON.stringify(policy));
  const env = {
    DATABASE_URL: tdb.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    SMTP_URL: smtp.url,
    DATA_DIR: dataDir,
    PORT: String(port),
    MLLP_PORT: '0',
    LOG_LEVEL: 'info',
    ROUTING_POLICY: join(dataDir, 'policy.json'),
    // One key for every process (a generated development key would race between processes).
    TRIAGE_ENCRYPTION_KEY: generateKeyLine('bench'),
  };
  const logs: string[] = [];
  const httpPorts = new Map<number, number>();
  if (o.observe) for (const [i, p] of PROCS.entries()) if (p !== 'api') httpPorts.set(i, await freePort());
  const procs: Proc[] = PROCS.map((p, i) => spawnTriage(`${p}-${i}`, p === 'api' ? ['api'] : ['worker'], httpPorts.has(i) ? { ...env, WORKER_HTTP_PORT: String(httpPorts.get(i)) } : env, logs));
  try {
    const base = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 120_000; procs.some((p) => p.bootedAt === undefined); await sleep(200)) {
      if (Date.now() > deadline) throw new Error(`processes did not boot:\n${logs.slice(-20).join('\n')}`);
    }
    const token = (await createToken(tdb.db, { role: 'intake', name: 'bench' })).token;
    await o.observe?.booted({ apiUrl: base, token, workerHttpPorts: [...httpPorts.values()] });
    const letters = [CARDIO_LETTER, URO_LETTER];
    const docs = await Promise.all(Array.from({ length: N }, (_, i) => makeBornDigitalPdf([`${letters[i % 2]}\nbench copy ${i} ${Date.now()}`])));
    const cpu0 = procs.map((p) => cpuSeconds(p.child.pid));
    const ids: string[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (next < docs.length) {
          const body = docs[next++]!;
          const res = await fetch(`${base}/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' }, body });
          if (res.status !== 202) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
          ids.push(((await res.json()) as { id: string }).id);
        }
      }),
    );
    const intakeSeconds = (performance.now() - t0) / 1000;
    // Status read through the API, as a client would: each client polls its share until terminal.
    const open = new Set(ids);
    await Promise.all(
      Array.from({ length: C }, async (_, k) => {
        const mine = ids.filter((_, i) => i % C === k);
        while (mine.some((id) => open.has(id))) {
          for (const id of mine.filter((x) => open.has(x))) {
            const r = (await (await fetch(`${base}/v1/documents/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { status: string };
            if (TERMINAL.has(r.status)) open.delete(id);
          }
          await sleep(250);
        }
      }),
    );
    const e2eSeconds = (performance.now() - t0) / 1000;
    const cpu = Object.fromEntries(procs.map((p, i) => [p.name, cpuSeconds(p.child.pid) - cpu0[i]!]));
    await o.observe?.done();
    const stages = rowsOf<{ stage: string; p50: number; p95: number }>(
      await tdb.db.execute(sql`select stage,
          percentile_cont(0.5) within group (order by extract(epoch from ended_at - started_at) * 1000) as p50,
          percentile_cont(0.95) within group (order by extract(epoch from ended_at - started_at) * 1000) as p95
        from stage_attempts where outcome = 'succeeded' group by stage order by min(id)`),
    ).map((r) => ({ stage: r.stage, p50: Number(r.p50), p95: Number(r.p95) }));
    const [st] = rowsOf<{ failed: number }>(await tdb.db.execute(sql`select count(*) filter (where status = 'failed')::int failed from documents`));
    const workerCpu = Object.entries(cpu).filter(([k]) => !k.startsWith('api')).reduce((a, [, v]) => a + v, 0);
    const result = {
      processes: PROCS,
      documents: N,
      intakePerSecond: N / intakeSeconds,
      endToEndPerSecond: N / e2eSeconds,
      failed: Number(st?.failed ?? 0),
      stages,
      cpuSeconds: cpu,
      cpuPerDocumentMs: (workerCpu / N) * 1000,
    };
    if (!o.limits) return result;
    // The machine's own limits, in the same run.
    return { ...result, rawBullmq: await rawBullmqChain(TEST_REDIS_URL, randomPrefix(), 2000, 16), commits: await singleRowCommits(tdb.url, C, 3000) };
  } finally {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => Promise.race([p.exited, sleep(40_000)])));
    await smtp.close();
    await dropPrefix(prefix);
    await tdb.drop();
  }
}

/** user + system CPU seconds of a process so far (Linux /proc; 0 elsewhere). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv.includes('--processes')) {
  const { values } = parseArgs({ options: { processes: { type: 'string' }, documents: { type: 'string' }, clients: { type: 'string' } }, strict: false });
  const r = await runProcessesBench({
    processes: String(values.processes ?? 'api,worker,worker').split(',').map((p) => p.trim()),
    documents: Number(values.documents ?? 400),
    clients: Number(values.clients ?? 32),
    limits: true,
  });
  console.log(`\n# ${r.processes.join(' + ')}, ${r.documents} one-page born-digital PDFs, HTTP clients, status read through the API\n`);
  console.log('| what | measured |\n| --- | --- |');
  console.log(`| intake (202s per second, original stored and row committed) | ${r.intakePerSecond.toFixed(1)} uploads/s |`);
  console.log(`| end to end, status read through the API | ${r.endToEndPerSecond.toFixed(1)} documents/s (${r.failed} failed) |`);
  console.log(`| per stage p50 / p95 | ${r.stages.map((s) => `${s.stage} ${s.p50.toFixed(0)}/${s.p95.toFixed(0)} ms`).join(', ')} |`);
  console.log(`| worker CPU per document | ${r.cpuPerDocumentMs.toFixed(0)} ms (${Object.entries(r.cpuSeconds).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}) |`);
  console.log(`| raw BullMQ, no-op chain over the same queues | ${r.rawBullmq?.toFixed(0)} chains/s |`);
  console.log(`| Postgres single-row commits | ${r.commits?.toFixed(0)} commits/s |`);
  process.exit(0);
}

async function singleRowCommits(url: string, connections: number, n: number): Promise<number> {
  const { openDb } = await import('@triage/db');
  const h = await openDb({ url, poolSize: connections });
  await h.db.execute(sql`create table if not exists bench_commits (id bigserial primary key, at timestamptz default now())`);
  let left = n;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (left-- > 0) await h.db.execute(sql`insert into bench_commits default values`);
    }),
  );
  const rate = n / ((performance.now() - t0) / 1000);
  await h.close();
  return rate;
}
