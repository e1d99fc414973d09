import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { loadConfig } from '@triage/config';
import { createRegistry, openRuntime, startApi, startMllp, startWorkers, type Runtime } from '@triage/cli';
import { STAGES } from '@triage/contracts';
import { createToken } from '@triage/db';
import { createTestDb, dropPrefix, randomPrefix, startTestSmtp, TEST_REDIS_URL, type TestDb, type TestSmtp } from '@triage/testkit';

export type System = {
  url: string;
  /** The system's HL7 v2 MLLP listener (an ephemeral port). */
  mllpPort: number;
  rt: Runtime;
  tdb: TestDb;
  smtp: TestSmtp;
  dataDir: string;
  token(role: 'intake' | 'reviewer' | 'admin' | 'auditor', name?: string): Promise<string>;
  stop(): Promise<void>;
};

/**
 * The whole product as production wires it (same composition as `triage start`), on a fresh
 * database, a random queue prefix, a real SMTP server and a temp data dir.
 */
export async function startSystem(
  opts: { policy?: Record<string, unknown>; env?: Record<string, string>; logDestination?: DestinationStream; workers?: boolean } = {},
): Promise<System> {
  const tdb = await createTestDb();
  const smtp = await startTestSmtp();
  const dataDir = await mkdtemp(join(tmpdir(), 'triage-e2e-'));
  const prefix = randomPrefix();
  const env: Record<string, string> = {
    DATABASE_URL: tdb.url,
    REDIS_URL: TEST_REDIS_URL,
    SMTP_URL: smtp.url,
    DATA_DIR: dataDir,
    PORT: '0',
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RECONCILE_INTERVAL_MS: '500',
    RECONCILE_STALE_MS: '3000',
    ...opts.env,
  };
  if (opts.policy) {
    const path = join(dataDir, 'policy.json');
    await writeFile(path, JSON.stringify(opts.policy));
    env.ROUTING_POLICY = path;
  }
  const config = loadConfig(env);
  const rt = await openRuntime(config, 'e2e', { embeddedRedis: false, ...(opts.logDestination ? { logDestination: opts.logDestination } : {}) });
  const registry = createRegistry();
  const workers = startWorkers(rt, registry, opts.workers === false ? [] : STAGES, config.WORKER_CONCURRENCY);
  const { app, address } = await startApi(rt, registry);
  // An ephemeral port per system, so e2e files running side by side never share a listener.
  const mllp = (await startMllp(rt, { port: 0, registry }))!;
  return {
    url: address,
    mllpPort: mllp.port,
    rt,
    tdb,
    smtp,
    dataDir,
    async token(role, name = `${role}-e2e`) {
      return (await createToken(rt.dbh.db, { role, name })).token;
    },
    async stop() {
      await mllp.close();
      await app.close();
      await workers.stopAll();
      await rt.close();
      await smtp.close();
      await dropPrefix(prefix);
      await tdb.drop();
    },
  };
}

/**
 * The base policy tuned so that every case goes to a person: no stated clinic counts, the model alone never clears
 * its threshold (low_specialty_confidence), and every priority is held (possible_emergent, emergent_referral).
 */
export const reviewEverything = (base: Record<string, unknown>, thresholds: { emergentReview?: number } = {}) => ({
  ...base,
  version: 'e2e-review-everything',
  thresholds: { urgency: 1, specialty: 1, emergentReview: 0, statedClinic: 1, clinicSupport: 1, ...thresholds },
  emergentAutoRoute: false,
});

/** The base policy with these thresholds; a stated clinic counts when read at all and the model never contradicts it. */
export const policyWith = (thresholds: { urgency: number; specialty: number; emergentReview: number; clinicSupport?: number }, base: Record<string, unknown>) => ({
  ...base,
  version: `e2e-${thresholds.urgency}-${thresholds.specialty}`,
  thresholds: { statedClinic: 0.5, clinicSupport: 0, ...thresholds },
  // These tests exercise the pipeline, not the emergency rule (packages/routing tests that): let emergencies route.
  emergentAutoRoute: true,
});
