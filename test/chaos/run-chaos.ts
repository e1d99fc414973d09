import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { sql } from 'drizzle-orm';
import { createToken, rowsOf } from '@triage/db';
import { makeBornDigitalPdf, makeImageOnlyPdf } from '@triage/documents';
import { createTestDb, startTestSmtp } from '@triage/testkit';
import { CARDIO_LETTER, ORTHO_LETTER, SCAN_TEXT, URO_LETTER } from '../e2e/letters.ts';
import { checkInvariants, type ChaosReport } from './invariants.ts';
import { askCanary, eachConsumes, lifeState, lives } from './liveness.ts';
import { freePort, spawnTriage, startPrivateRedis, waitHttp, type Proc } from './processes.ts';
import { sendHl7Stream } from './hl7-sender.ts';

export type ChaosOptions = {
  documents: number;
  /** HL7 v2 referrals sent over MLLP while the chaos runs (default 0). */
  hl7Messages?: number;
  workers: number;
  kills: number;
  scanned: number;
  timeoutMs: number;
  freezeMs?: number;
  log?: (s: string) => void;
};

const rand = (n: number) => Math.floor(Math.random() * n);
/** How long a worker process may take from spawn to "workers started" on a loaded 2-core machine (seen: 6-9 s). */
const BOOT_BOUND_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * Starts the API and several worker processes against real Postgres, a private Redis and an SMTP sink;
 * uploads documents from concurrent clients while killing, stopping and freezing workers, flushing Redis
 * and refusing SMTP; then checks the invariants from Postgres and the sink.
 */
export async function runChaos(o: ChaosOptions): Promise<ChaosReport & { actions: string[] }> {
  const say = o.log ?? (() => {});
  const tdb = await createTestDb();
  const smtp = await startTestSmtp();
  const redisPort = await freePort();
  const redisProc = await startPrivateRedis(redisPort);
  const apiPort = await freePort();
  const mllpPort = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'triage-chaos-'));
  // Auto-route everything readable so every routed referral's email is under test.
  const policy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));
  policy.thresholds = { urgency: 0, specialty: 0, emergentReview: 1 };
  await writeFile(join(dataDir, 'policy.json'), JSON.stringify(policy));
  const env = {
    DATABASE_URL: tdb.url,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    SMTP_URL: smtp.url,
    DATA_DIR: dataDir,
    PORT: String(apiPort),
    MLLP_PORT: String(mllpPort),
    LOG_LEVEL: 'warn',
    RECONCILE_INTERVAL_MS: '1000',
    RECONCILE_STALE_MS: '4000',
    OCR_MIN_CONFIDENCE: '0',
    OUTBOX_UNKNOWN_AFTER_MS: '15000',
    ROUTING_POLICY: join(dataDir, 'policy.json'),
  };
  const logs: string[] = [];
  const actions: string[] = [];
  const act = (s: string) => {
    actions.push(s);
    say(`chaos: ${s}`);
  };
  const api = spawnTriage('api', ['api'], env, logs);
  let n = 0;
  const workers: Proc[] = [];
  // Workers log at info so the harness sees "workers started" (from then on the process consumes); WORKER_ID is
  // the process name, so a canary's answer names the process that consumed it.
  const spawnWorker = () => {
    const name = `worker-${++n}`;
    workers.push(spawnTriage(name, ['worker', '--concurrency', '4'], { ...env, LOG_LEVEL: 'info', WORKER_ID: name }, logs));
  };
  for (let i = 0; i < o.workers; i++) spawnWorker();
  const base = `http://127.0.0.1:${apiPort}`;
  try {
    await waitHttp(`${base}/healthz`, 60_000);
    const token = (await createToken(tdb.db, { role: 'intake', name: 'chaos' })).token;

    // The corpus: mostly letters and born-digital PDFs, a few scans, a few hostile files.
    const letters = [CARDIO_LETTER, ORTHO_LETTER, URO_LETTER];
    const docs: Buffer[] = [];
    for (let i = 0; i < o.documents; i++) {
      const text = `${letters[i % 3]}\nchaos copy ${i}`;
      if (i % 50 === 7) docs.push(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntruncated'));
      else if (i % 50 === 13) docs.push(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`garbage ${i}`)]));
      else if (i < o.scanned) docs.push(await makeImageOnlyPdf([`${SCAN_TEXT}\ncopy ${i}`]));
      else if (i % 2) docs.push(await makeBornDigitalPdf([text]));
      else docs.push(Buffer.from(text));
    }
    const accepted: string[] = [];
    let next = 0;
    // Spread uploads over the chaos window so documents are in flight when workers die.
    const paceMs = Math.max(0, Math.floor((o.kills * 1200 * 8) / o.documents));
    const hl7 = sendHl7Stream(mllpPort, o.hl7Messages ?? 0, Math.floor((o.kills * 1200) / Math.max(1, o.hl7Messages ?? 1)));
    let hl7Done = (o.hl7Messages ?? 0) === 0;
    void hl7.then(() => (hl7Done = true));
    const uploading = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < docs.length) {
          const body = docs[next++]!;
          await sleep(rand(paceMs * 2));
          for (let tries = 0; tries < 20; tries++) {
            try {
              const res = await fetch(`${base}/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
              if (res.status === 202 || res.status === 200) accepted.push(((await res.json()) as { id: string }).id);
              break;
            } catch {
              await sleep(200); // the API may be briefly unreachable; a client retries
            }
          }
        }
      }),
    );

    // The chaos schedule, interleaved while documents flow.
    let kills = 0;
    let flushed = false;
    let flushAt = 0;
    let holdSince = 0;
    const liveness: string[] = [];
    let smtpDone = false;
    let frozen = false;
    // A SIGTERM to a stopped process waits until SIGCONT: never pick the frozen one, nor one already draining.
    const notForSigterm = new Set<unknown>();
    let terms = 0;
    const termExits: Promise<{ name: string; code: number | null; ms: number }>[] = [];
    const redis = new Redis(`redis://127.0.0.1:${redisPort}`, { maxRetriesPerRequest: null });
    redis.on('error', () => {});
    const db = tdb.db;
    const pending = async () => {
      const [r] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int n from documents where status in ('received','processing')`));
      return Number(r?.n ?? 0);
    };
    // Only a worker that finished booting: before that it has nothing to drain, and no handler for the signal yet.
    const termVictim = (live: typeof workers) => live.find((w) => !notForSigterm.has(w) && lifeState(w) === 'running');
    const deadline = Date.now() + o.timeoutMs;
    let uploadsDone = false;
    void uploading.then(() => (uploadsDone = true));
    while (Date.now() < deadline) {
      await sleep(600 + rand(900));
      const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
      const victim = live[rand(live.length)];
      // The FLUSHALL waits for a worker that has finished booting (a kill every second outruns a 6-9 s boot under
      // load), so that some process lives through Redis losing its data; kills pause until then.
      const flushDue = !flushed && kills >= Math.floor(o.kills / 2);
      const someoneRuns = workers.some((w) => lifeState(w) === 'running');
      if (flushDue && !someoneRuns) holdSince ||= Date.now();
      if (kills < o.kills && victim && !(flushDue && !someoneRuns)) {
        victim.child.kill('SIGKILL');
        victim.killedAt = Date.now();
        kills++;
        act(`SIGKILL ${victim.name} (${kills}/${o.kills})`);
        spawnWorker();
      } else if (terms < 2 && termVictim(live)) {
        const victim = termVictim(live)!;
        notForSigterm.add(victim);
        const t0 = Date.now();
        victim.child.kill('SIGTERM');
        victim.termAt = t0;
        terms++;
        const name = victim.name;
        termExits.push(
          Promise.race([
            victim.exited.then((code) => ({ name, code, ms: Date.now() - t0 })),
            sleep(40_000).then(() => ({ name, code: null, ms: 40_000 })),
          ]),
        );
        act(`SIGTERM ${victim.name}`);
        spawnWorker();
      }
      if (flushDue && (someoneRuns || Date.now() - holdSince > BOOT_BOUND_MS)) {
        if (!someoneRuns) liveness.push(`no worker finished booting within ${BOOT_BOUND_MS / 1000} s: ${lives(workers)}`);
        await redis.flushall();
        flushed = true;
        flushAt = Date.now();
        const survivors = workers.filter((w) => lifeState(w, flushAt) === 'running');
        act(`FLUSHALL on Redis; workers: ${lives(workers, flushAt)}`);
        // With a worker running, the product's readiness canary is consumed within its bound...
        const first = await askCanary(base);
        act(`after FLUSHALL, readiness canary: ${first.workers}${first.worker ? ` (${first.worker}, ${first.ms} ms)` : ''}`);
        if (first.workers !== 'ok') liveness.push(`no worker consumed the canary after FLUSHALL (${first.workers}); workers: ${lives(workers)}`);
        // ...and every worker that ran through the FLUSHALL still consumes, each one proved on its own.
        liveness.push(...(await eachConsumes(base, survivors, workers, (s) => act(`after FLUSHALL, ${s}`))));
      }
      if (!smtpDone && kills >= 2) {
        smtp.refuse = true;
        smtpDone = true;
        act('SMTP refuses connections for 4 s');
        setTimeout(() => (smtp.refuse = false), 4000).unref();
      }
      const sleeper = live.find((w) => w !== victim);
      if (!frozen && kills >= 3 && sleeper) {
        // SIGSTOP freezes the whole process: its event loop cannot renew locks, exactly like a blocked loop.
        sleeper.child.kill('SIGSTOP');
        frozen = true;
        notForSigterm.add(sleeper);
        const ms = o.freezeMs ?? 130_000;
        sleeper.frozenUntil = Date.now() + ms;
        act(`froze ${sleeper.name} for ${ms / 1000} s (past its job's lock)`);
        setTimeout(() => {
          sleeper.child.kill('SIGCONT');
          notForSigterm.delete(sleeper);
        }, ms).unref();
      }
      if (uploadsDone && hl7Done && kills >= o.kills && (await pending()) === 0) break;
    }
    await uploading;
    const sent = await hl7;
    // Let the system settle with no more chaos.
    const settle = Date.now() + 120_000;
    while (Date.now() < settle && (await pending()) > 0) await sleep(500);
    redis.disconnect();
    // Every worker alive at the end consumes, the one frozen across the FLUSHALL included (once it thaws).
    const thawAt = Math.max(0, ...workers.map((w) => (lifeState(w) === 'frozen' ? (w.frozenUntil ?? 0) : 0)));
    if (thawAt > Date.now()) await sleep(thawAt - Date.now() + 500);
    const endAlive = workers.filter((w) => lifeState(w) === 'running');
    liveness.push(...(await eachConsumes(base, endAlive, workers, (s) => act(`at the end, ${s}`))));
    // Every ACKed HL7 message is one stored message and one document, and goes through the same invariants.
    const hl7Rows = rowsOf<{ control_id: string; n: number; docs: number; document_id: string | null }>(
      await db.execute(sql`select control_id, count(*)::int n, count(distinct document_id)::int docs, min(document_id::text) document_id
        from interface_messages where status = 'accepted' group by control_id`),
    );
    const byControl = new Map(hl7Rows.map((r) => [r.control_id, r]));
    const hl7Violations: string[] = [];
    for (const id of sent.acked) {
      const r = byControl.get(id);
      if (!r?.document_id) hl7Violations.push(`${id} was ACKed but is not stored`);
      else if (r.n !== 1 || r.docs !== 1) hl7Violations.push(`${id} is stored ${r.n} times as ${r.docs} documents`);
      else accepted.push(r.document_id);
    }
    if (sent.refused.length) hl7Violations.push(`HL7 messages refused: ${sent.refused.join(', ')}`);
    act(`HL7 over MLLP: ${sent.sent} sent, ${sent.acked.length} ACKed AA, ${sent.resends} resends`);
    const report = await checkInvariants(db, [...new Set(accepted)], smtp.messages);
    report.violations.push(...hl7Violations);
    if (kills < o.kills) report.violations.push(`only ${kills} kills happened`);
    // SIGTERM: stop taking jobs, finish or release running ones within 30 s, exit 0.
    for (const t of await Promise.all(termExits)) {
      // The bound is the drain budget (serve.ts closes the workers within 30 s) plus 5 s to close connections and exit.
      if (t.code !== 0 || t.ms > 35_000) report.violations.push(`${t.name} exited ${t.code} ${t.ms} ms after SIGTERM`);
    }
    if (!flushed) report.violations.push('Redis was never flushed');
    report.violations.push(...liveness);
    return { ...report, actions };
  } catch (e) {
    say(logs.slice(-40).join('\n'));
    throw e;
  } finally {
    for (const w of workers) {
      w.child.kill('SIGCONT');
      w.child.kill('SIGKILL');
    }
    api.child.kill('SIGKILL');
    redisProc.kill('SIGKILL');
    await smtp.close();
    await tdb.drop().catch(() => undefined);
  }
}
