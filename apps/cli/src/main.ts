import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, publicUrl } from '@triage/config';
import { STAGES, stageName, role as roleSchema, type StageName } from '@triage/contracts';
import { createToken, listUnknownEmails, migrate, openDb, revokeToken, verifyAuditChain } from '@triage/db';
import { listFailures, replayDocument, replayFailures } from '@triage/api';
import { dbTls, openRuntime } from './runtime.ts';
import { createRegistry, installEarlySignalHandlers, onShutdown, startApi, startWorkers } from './serve.ts';
import { RedisUnavailableError } from './embedded-redis.ts';
import { RedisPolicyError } from '@triage/queue';

const USAGE = `usage: triage <command>
  start                                  API and every stage worker in one process (embedded defaults)
  api                                    the HTTP API only
  worker [--stages a,b] [--concurrency N] stage workers (any subset of ${STAGES.join(',')})
  migrate                                apply database migrations
  token create --role R --name NAME [--expires-days N]   print a new token (roles: intake, reviewer, admin, auditor)
  token revoke --id ID
  audit verify                           recompute the audit hash chain; names the first broken event
  failures [--reason R] [--stage S] [--json]
  replay <documentId> [--from-stage S]
  replay --failed [--reason R] [--stage S] [--from-stage S]   bulk replay by filter
  model train --data FILE... [--out PATH] [--seed N] [--kind lr|embedding --embedder DIR] [--allow-remote-models]
  eval --data FILE... --out DIR [--folds K] [--policy P] [--red-flags R|--no-red-flags]
                                         Markdown + HTML quality report (cross-validated with --folds)
  thresholds --data FILE... --policy P --specialty-precision X --emergent-undertriage Y [--urgency-accuracy Z] [--out P2]
                                         choose the policy's thresholds from target precisions`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help') {
    console.log(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === 'model') return modelCommand(rest);
  if (cmd === 'eval' || cmd === 'thresholds') return evaluationCommand([cmd, ...rest]);
  const config = loadConfig(process.env);
  switch (cmd) {
    case 'start': {
      const rt = await openRuntime(config, 'triage', { embeddedRedis: true });
      const registry = createRegistry();
      const workers = startWorkers(rt, registry, STAGES, config.WORKER_CONCURRENCY);
      const { app, address } = await startApi(rt, registry);
      const { token } = await createToken(rt.dbh.db, { role: 'admin', name: 'bootstrap', expiresAt: new Date(Date.now() + 86_400_000) });
      console.error(`\nreferral triage is running\n  API:       ${address}  (public URL ${publicUrl(config)})\n  database:  ${rt.dbh.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}/pglite` : 'DATABASE_URL'}\n  redis:     ${rt.redisUrl}\n  mail:      ${config.SMTP_URL ? 'SMTP_URL' : `.eml files in ${config.DATA_DIR}/mail`}\n  admin token (24 h):\n`);
      console.log(token);
      console.error(`\ntry: curl -H "Authorization: Bearer <token>" --data-binary @letter.pdf ${address}/v1/documents\n`);
      onShutdown(rt, async () => {
        await app.close();
        await workers.stopAll();
      });
      return -1;
    }
    case 'api': {
      const rt = await openRuntime(config, 'triage-api', { embeddedRedis: false });
      const { app, address } = await startApi(rt, createRegistry());
      rt.log.info({ address }, 'api listening');
      onShutdown(rt, () => app.close());
      return -1;
    }
    case 'worker': {
      const { values } = parseArgs({ args: rest, options: { stages: { type: 'string' }, concurrency: { type: 'string' } } });
      const stages = (values.stages ?? STAGES.join(',')).split(',').map((s) => stageName.parse(s.trim()));
      const concurrency = Number(values.concurrency ?? config.WORKER_CONCURRENCY);
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError('--concurrency must be a positive integer');
      const rt = await openRuntime(config, 'triage-worker', { embeddedRedis: false });
      const workers = startWorkers(rt, createRegistry(), stages, concurrency);
      rt.log.info({ stages, concurrency }, 'workers started');
      onShutdown(rt, () => workers.stopAll());
      return -1;
    }
    case 'migrate': {
      const h = await openDb({ url: config.DATABASE_URL, embeddedDir: `${config.DATA_DIR}/pglite`, tls: dbTls(config) });
      await migrate(h, config.DATABASE_URL, dbTls(config));
      await h.close();
      console.error('migrations applied');
      return 0;
    }
    case 'token':
      return tokenCommand(config, rest);
    case 'audit': {
      if (rest[0] !== 'verify') throw new ConfigError('usage: triage audit verify');
      const h = await openDb({ url: config.DATABASE_URL, embeddedDir: `${config.DATA_DIR}/pglite`, tls: dbTls(config) });
      const v = await verifyAuditChain(h.db);
      await h.close();
      console.log(JSON.stringify(v));
      if (!v.ok) console.error(`audit chain BROKEN at event ${v.brokenAt}: ${v.why}`);
      return v.ok ? 0 : 1;
    }
    case 'failures': {
      const { values } = parseArgs({ args: rest, options: { reason: { type: 'string' }, stage: { type: 'string' }, json: { type: 'boolean' } } });
      const h = await openDb({ url: config.DATABASE_URL, embeddedDir: `${config.DATA_DIR}/pglite`, tls: dbTls(config) });
      const rows = await listFailures(h.db, { reason: values.reason, stage: values.stage });
      const unknown = await listUnknownEmails(h.db);
      await h.close();
      if (values.json) console.log(JSON.stringify({ failures: rows, unknownEmails: unknown }, null, 2));
      else {
        for (const r of rows) console.log(`${r.id}  ${r.kind.padEnd(5)}  ${String(r.stage).padEnd(8)}  ${String(r.reason).padEnd(18)}  attempts=${r.attempts}  ${r.message ?? ''}`);
        for (const u of unknown) console.log(`email ${u.id}  referral ${u.referralId}  to ${u.recipient}  delivery UNKNOWN: ${u.lastError ?? ''}`);
      }
      console.error(`${rows.length} failed document(s), ${unknown.length} email(s) with unknown delivery`);
      return 0;
    }
    case 'replay': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { 'from-stage': { type: 'string' }, failed: { type: 'boolean' }, reason: { type: 'string' }, stage: { type: 'string' } },
      });
      const from = values['from-stage'] ? stageName.parse(values['from-stage']) : undefined;
      const rt = await openRuntime(config, 'triage-cli', { embeddedRedis: false });
      try {
        if (values.failed) {
          const r = await replayFailures(rt.dbh.db, rt.queues, { reason: values.reason, stage: values.stage }, from as StageName | undefined);
          console.log(JSON.stringify(r, null, 2));
          return 0;
        }
        const id = positionals[0];
        if (!id) throw new ConfigError('replay needs a document id or --failed');
        const r = await replayDocument(rt.dbh.db, rt.queues, id, from);
        if (!r) {
          console.error(`no document ${id}`);
          return 1;
        }
        console.log(JSON.stringify(r));
        return 0;
      } finally {
        await rt.close();
      }
    }
    default:
      console.error(`unknown command: ${cmd}\n${USAGE}`);
      return 2;
  }
}

async function tokenCommand(config: ReturnType<typeof loadConfig>, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { role: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' }, 'expires-days': { type: 'string' } },
  });
  const h = await openDb({ url: config.DATABASE_URL, embeddedDir: `${config.DATA_DIR}/pglite`, tls: dbTls(config) });
  try {
    await migrate(h, config.DATABASE_URL, dbTls(config));
    if (sub === 'create') {
      const role = roleSchema.parse(values.role);
      if (!values.name) throw new ConfigError('--name is required');
      const days = values['expires-days'] ? Number(values['expires-days']) : null;
      const { token } = await createToken(h.db, {
        role,
        name: values.name,
        expiresAt: days ? new Date(Date.now() + days * 86_400_000) : null,
      });
      console.log(token);
      return 0;
    }
    if (sub === 'revoke') {
      if (!values.id) throw new ConfigError('--id is required');
      const ok = await revokeToken(h.db, values.id);
      console.error(ok ? 'revoked' : 'no such token');
      return ok ? 0 : 1;
    }
    console.error(USAGE);
    return 2;
  } finally {
    await h.close();
  }
}

async function evaluationCommand(argv: string[]): Promise<number> {
  const { parseEvaluationArgs, runEvalCommand, runThresholdCommand } = await import('@triage/evaluation');
  let parsed: ReturnType<typeof parseEvaluationArgs>;
  try {
    parsed = parseEvaluationArgs(argv);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  const r = parsed.command === 'eval' ? await runEvalCommand(parsed.args) : await runThresholdCommand(parsed.args);
  console.log(JSON.stringify('metrics' in r ? r.metrics : r, null, 2));
  return 0;
}

async function modelCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'train') {
    console.error(USAGE);
    return 2;
  }
  const { values } = parseArgs({ args: rest, options: {
      data: { type: 'string', multiple: true },
      out: { type: 'string' },
      seed: { type: 'string' },
      kind: { type: 'string' },
      embedder: { type: 'string' },
      'allow-remote-models': { type: 'boolean' },
    },
  });
  if (!values.data?.length) throw new ConfigError('--data FILE is required (one or more)');
  const { runTrainCommand } = await import('@triage/classifier');
  const r = await runTrainCommand({
    data: values.data,
    out: values.out ?? new URL(`../../../models/${values.kind === 'embedding' ? 'triage-embedding-model' : 'triage-model'}.json`, import.meta.url).pathname,
    seed: values.seed ? Number(values.seed) : undefined,
    kind: values.kind as 'lr' | 'embedding' | undefined,
    embedder: values.embedder,
    allowRemoteModels: values['allow-remote-models'] ?? false,
  });
  console.log(JSON.stringify(r, null, 2));
  return 0;
}

installEarlySignalHandlers();
main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    if (e instanceof ConfigError || e instanceof RedisUnavailableError || e instanceof RedisPolicyError) {
      console.error(`triage: ${e.message}`);
      process.exit(2);
    }
    if ((e as Error)?.name === 'ZodError') {
      console.error(`triage: invalid argument: ${(e as Error).message}`);
      process.exit(2);
    }
    console.error(e);
    process.exit(1);
  },
);
