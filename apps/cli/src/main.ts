import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, publicUrl } from '@triage/config';
import { STAGES, stageName, role as roleSchema, type StageName } from '@triage/contracts';
import { join } from 'node:path';
import { z } from 'zod';
import { createAuditedToken, grantAppRole, listUnknownEmails, migrate, openDb, revokeAuditedToken, ROLE_NAME, verifyAuditChain } from '@triage/db';
import { runRetention } from '@triage/worker';
import { DocumentPurgedError, listFailures, replayDocument, replayFailures } from '@triage/api';
import { generateKeyLine } from '@triage/crypto';
import { createFsBlobStore, createSealedBlobStore } from '@triage/storage';
import { createLogger, dbTls, openRuntime } from './runtime.ts';
import { rotateKeys } from './key-rotation.ts';
import { resolveKeyring } from './keyring.ts';
import { createRegistry, installEarlySignalHandlers, onShutdown, startApi, startMllp, startWorkers } from './serve.ts';
import { RedisUnavailableError } from './embedded-redis.ts';
import { RedisPolicyError } from '@triage/queue';
import { cliActor } from './cli-actor.ts';
import { COMMANDS, findCommand, parseCommandArgs } from './commands/index.ts';
import { startWatchDirs } from './watch-folder.ts';
import { startWorkerHttp } from './worker-http.ts';

const USAGE = `usage: triage <command>
  start                                  API and every stage worker in one process (embedded defaults)
  api                                    the HTTP API only
  worker [--stages a,b] [--concurrency N] stage workers (any subset of ${STAGES.join(',')})
  migrate                                apply database migrations
  token create --role R --name NAME [--expires-days N]   print a new token (roles: intake, reviewer, admin, auditor)
  token revoke --id ID
  keys generate [--id ID]                print a new key line for TRIAGE_ENCRYPTION_KEY (put it first to make it current)
  keys rotate [--batch N]                re-encrypt everything not under the current key (resumable, audited)
  audit verify                           recompute the audit hash chain (by seq); names the first broken link
  db grant-app-role --role NAME          (as the owner) least privilege for the app's login role: no UPDATE/DELETE on audit_events
  retention run [--days N]               purge content of documents finished more than N (default RETENTION_DAYS) days ago
  failures [--reason R] [--stage S] [--json]
  replay <documentId> [--from-stage S]
  replay --failed [--reason R] [--stage S] [--from-stage S]   bulk replay by filter
  review export --out FILE [--since ISO]  reviewer decisions (confirm/correct) as training JSONL
  model train --data FILE... [--out PATH] [--seed N] [--kind lr|embedding --embedder DIR] [--allow-remote-models]
  eval --data FILE... --out DIR [--folds K] [--policy P] [--red-flags R|--no-red-flags]
       [--via text,pdf,fax] [--sample N] [--ocr-engine tesseract.js|native] [--ocr-workers N] [--fax-resolution fine|standard]
                                         Markdown + HTML quality report (cross-validated with --folds; --via also
                                         reads N sampled records back as born-digital PDFs and OCR'd faxes)
  eval --fields [--sample N] [--seed S] [--via text,pdf,acroform,fax] --out DIR [--ocr-engine tesseract.js|native]
                                         field extraction on generated referrals (made-up people, shared clinical
                                         text): precision, recall, accuracy per field and channel, confidence ECE
  eval --routing --out DIR [--via text,pdf,fax] [--fax-sample N] [--seed S] [--folds K] [--policy P]
                                         no-touch, team precision, emergent under-triage (with bounds), over-triage
                                         and misdirected referrals caught, on generated referral-shaped documents
  thresholds --referrals [--specialty-precision 0.97] [--emergent-undertriage 0.01] [--routine-error 0.1]
       [--delta 0.05] [--policy P] [--out P2]
                                         Learn-then-Test thresholds on generated referrals (calibration half)
  thresholds --data FILE... --policy P --specialty-precision X --emergent-undertriage Y [--urgency-accuracy Z] [--out P2]
                                         choose the policy's thresholds from target precisions`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help') {
    console.log([USAGE, ...COMMANDS.map((c) => `  ${c.usage}`)].join('\n'));
    return cmd ? 0 : 2;
  }
  if (cmd === 'model') return modelCommand(rest);
  if (cmd === 'eval' || cmd === 'thresholds') return evaluationCommand([cmd, ...rest]);
  if (cmd === 'keys' && rest[0] === 'generate') {
    const { values } = parseArgs({ args: rest.slice(1), options: { id: { type: 'string' } } });
    console.log(values.id ? generateKeyLine(values.id) : generateKeyLine());
    return 0;
  }
  const found = findCommand(argv);
  if (found) {
    const parsed = parseCommandArgs(found.command, found.rest);
    if (!parsed.ok) {
      console.error(`${parsed.message}\nusage: triage ${found.command.usage}`);
      return 2;
    }
    return found.command.run(parsed.args, { config: loadConfig(process.env) });
  }
  const config = loadConfig(process.env);
  switch (cmd) {
    case 'start': {
      const rt = await openRuntime(config, 'triage', { embeddedRedis: true });
      const registry = createRegistry();
      const workers = startWorkers(rt, registry, STAGES, config.WORKER_CONCURRENCY);
      const { app, address } = await startApi(rt, registry);
      const mllp = await startMllp(rt, { registry });
      const watch = startWatchDirs(rt, config.WATCH_DIRS);
      const { token } = await createAuditedToken(rt.dbh.db, { role: 'admin', name: 'bootstrap', expiresAt: new Date(Date.now() + 86_400_000) }, cliActor());
      console.error(`\nreferral triage is running\n  API:       ${address}  (public URL ${publicUrl(config)})\n  database:  ${rt.dbh.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}/pglite` : 'DATABASE_URL'}\n  redis:     ${rt.redisUrl}\n  mail:      ${config.SMTP_URL ? 'SMTP_URL' : `.eml files in ${config.DATA_DIR}/mail`}\n  HL7 MLLP:  ${mllp ? `${config.HOST}:${mllp.port}` : 'off (MLLP_PORT=0)'}\n  admin token (24 h):\n`);
      console.log(token);
      console.error(`\ntry: curl -H "Authorization: Bearer <token>" --data-binary @letter.pdf ${address}/v1/documents\n`);
      onShutdown(rt, async () => {
        await watch.close();
        await mllp?.close();
        await app.close();
        await workers.stopAll();
      });
      return -1;
    }
    case 'api': {
      const rt = await openRuntime(config, 'triage-api', { embeddedRedis: false });
      const registry = createRegistry();
      const { app, address } = await startApi(rt, registry);
      const mllp = await startMllp(rt, { registry });
      rt.log.info({ address }, 'api listening');
      onShutdown(rt, async () => {
        await mllp?.close();
        await app.close();
      });
      return -1;
    }

    case 'worker': {
      const { values } = parseArgs({ args: rest, options: { stages: { type: 'string' }, concurrency: { type: 'string' } } });
      const stages = (values.stages ?? STAGES.join(',')).split(',').map((s) => stageName.parse(s.trim()));
      const concurrency = Number(values.concurrency ?? config.WORKER_CONCURRENCY);
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError('--concurrency must be a positive integer');
      const rt = await openRuntime(config, 'triage-worker', { embeddedRedis: false });
      const registry = createRegistry();
      const workers = startWorkers(rt, registry, stages, concurrency);
      const http = config.WORKER_HTTP_PORT ? await startWorkerHttp(rt, registry, workers, config.WORKER_HTTP_PORT) : null;
      // Fax-server folders (WATCH_DIRS): every worker may watch the same ones, a file is taken by exactly one.
      const watch = startWatchDirs(rt, config.WATCH_DIRS);
      rt.log.info({ stages, concurrency }, 'workers started');
      onShutdown(rt, async () => {
        await watch.close();
        await workers.stopAll();
        await http?.close();
      });
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
    case 'keys':
      return keysCommand(config, rest);
    case 'review':
      return reviewCommand(config, rest);
    case 'audit': {
      if (rest[0] !== 'verify') throw new ConfigError('usage: triage audit verify');
      const h = await openDb({ url: config.DATABASE_URL, embeddedDir: `${config.DATA_DIR}/pglite`, tls: dbTls(config) });
      const v = await verifyAuditChain(h.db);
      await h.close();
      console.log(JSON.stringify(v));
      if (!v.ok) console.error(`audit chain BROKEN at seq ${v.brokenAt}: ${v.why}`);
      return v.ok ? 0 : 1;
    }
    case 'db': {
      const { values } = parseArgs({ args: rest.slice(1), options: { role: { type: 'string' } } });
      if (rest[0] !== 'grant-app-role' || !values.role) throw new ConfigError('usage: triage db grant-app-role --role NAME');
      const role = z.string().regex(ROLE_NAME, '--role must be a plain Postgres role name ([a-z_][a-z0-9_]*)').parse(values.role);
      if (!config.DATABASE_URL) throw new ConfigError('grant-app-role needs DATABASE_URL (the embedded database has no roles)');
      const h = await openDb({ url: config.DATABASE_URL, tls: dbTls(config) });
      try {
        await migrate(h, config.DATABASE_URL, dbTls(config));
        await grantAppRole(h.db, role);
      } finally {
        await h.close();
      }
      console.error(`granted ${role}: read/insert/update on pipeline tables, SELECT and INSERT only on audit_events, no DELETE`);
      return 0;
    }
    case 'retention': {
      const { values } = parseArgs({ args: rest.slice(1), options: { days: { type: 'string' } } });
      if (rest[0] !== 'run') throw new ConfigError('usage: triage retention run [--days N]');
      const days = values.days !== undefined ? z.coerce.number().int().positive('--days must be a positive integer').parse(values.days) : config.RETENTION_DAYS;
      if (!(days > 0)) throw new ConfigError('retention is off (RETENTION_DAYS=0); pass --days N to purge anyway');
      const h = await openDb({ url: config.DATABASE_URL, embeddedDir: `${config.DATA_DIR}/pglite`, tls: dbTls(config) });
      try {
        await migrate(h, config.DATABASE_URL, dbTls(config));
        const blobs = createFsBlobStore(join(config.DATA_DIR, 'blobs'));
        const r = await runRetention(h.db, blobs, { days, actor: cliActor() });
        console.log(JSON.stringify(r));
        return 'skipped' in r ? 1 : 0;
      } finally {
        await h.close();
      }
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
        const r = await replayDocument(rt.dbh.db, rt.queues, id, from).catch((e: unknown) => {
          if (e instanceof DocumentPurgedError) throw new ConfigError(e.message);
          throw e;
        });
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
      const { token } = await createAuditedToken(
        h.db,
        { role, name: values.name, expiresAt: days ? new Date(Date.now() + days * 86_400_000) : null },
        cliActor(),
      );
      console.log(token);
      return 0;
    }
    if (sub === 'revoke') {
      if (!values.id) throw new ConfigError('--id is required');
      const id = z.string().uuid('--id must be a token id (uuid)').parse(values.id);
      const ok = await revokeAuditedToken(h.db, id, cliActor());
      console.error(ok ? 'revoked' : 'no such token');
      return ok ? 0 : 1;
    }
    console.error(USAGE);
    return 2;
  } finally {
    await h.close();
  }
}

async function keysCommand(config: ReturnType<typeof loadConfig>, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'rotate') throw new ConfigError('usage: triage keys generate [--id ID] | triage keys rotate [--batch N]');
  const { values } = parseArgs({ args: rest, options: { batch: { type: 'string' } } });
  const batch = Number(values.batch ?? 200);
  if (!Number.isInteger(batch) || batch < 1) throw new ConfigError('--batch must be a positive integer');
  const keyring = resolveKeyring(config, createLogger(config, 'triage-cli'));
  const h = await openDb({ url: config.DATABASE_URL, embeddedDir: `${config.DATA_DIR}/pglite`, tls: dbTls(config) });
  try {
    await migrate(h, config.DATABASE_URL, dbTls(config));
    const blobs = createSealedBlobStore(createFsBlobStore(join(config.DATA_DIR, 'blobs')), keyring);
    const r = await rotateKeys({ db: h.db, keyring, blobs }, { batch });
    console.log(JSON.stringify(r));
    const failed = Object.values(r.failed).reduce((a, b) => a + b, 0);
    const done = Object.values(r.resealed).reduce((a, b) => a + b, 0);
    console.error(`${done} value(s) re-encrypted under ${r.keyId}; ${failed} could not be decrypted with this keyring`);
    return failed ? 1 : 0;
  } finally {
    await h.close();
  }
}

async function reviewCommand(config: ReturnType<typeof loadConfig>, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'export') throw new ConfigError('usage: triage review export --out FILE [--since ISO]');
  const { values } = parseArgs({ args: rest, options: { out: { type: 'string' }, since: { type: 'string' } } });
  if (!values.out) throw new ConfigError('--out FILE is required');
  const since = values.since === undefined ? undefined : new Date(values.since);
  if (since && (Number.isNaN(since.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(values.since ?? ''))) {
    throw new ConfigError('--since must be an ISO date or timestamp, e.g. 2026-11-01 or 2026-11-01T08:00:00Z');
  }
  const h = await openDb({ url: config.DATABASE_URL, embeddedDir: `${config.DATA_DIR}/pglite`, tls: dbTls(config) });
  try {
    await migrate(h, config.DATABASE_URL, dbTls(config));
    const { exportReviewDecisions } = await import('./review-export.ts');
    const keyring = resolveKeyring(config, createLogger(config, 'triage-cli'));
    const r = await exportReviewDecisions(h.db, keyring, values.out, since);
    console.log(JSON.stringify(r));
    console.error(`${r.written} decision(s) written to ${values.out}; ${r.skipped} skipped (rejected or no text)`);
    return 0;
  } finally {
    await h.close();
  }
}

async function evaluationCommand(argv: string[]): Promise<number> {
  const { parseEvaluationArgs, pipelineSettings, runEvaluation } = await import('@triage/evaluation');
  let parsed: ReturnType<typeof parseEvaluationArgs>;
  try {
    parsed = parseEvaluationArgs(argv, { fields: true });
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  // Document channels run the extract/OCR stages with the workers' settings.
  await runEvaluation(parsed, pipelineSettings(loadConfig(process.env)));
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
