import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Keyring } from '@triage/crypto';
import type { Config } from '@triage/config';
import { migrate, openDb, startAuditSequencer, type DbHandle, type DbTls } from '@triage/db';
import { assertNoEviction, createRedis, createStageQueues, type RedisConnection, type StageQueues } from '@triage/queue';
import { loadPolicy, loadRedFlags, type RedFlagRules, type RoutingPolicy } from '@triage/routing';
import { createFsBlobStore, createSealedBlobStore, type BlobStore, type SealedBlobStore } from '@triage/storage';
import { ensureRedis } from './embedded-redis.ts';
import { resolveKeyring } from './keyring.ts';

export type Runtime = {
  config: Config;
  log: Logger;
  dbh: DbHandle;
  redisUrl: string;
  producer: RedisConnection;
  queues: StageQueues;
  /** Originals, sealed with `keyring` and bound to their document row. */
  blobs: SealedBlobStore;
  /** The store under `blobs`, holding ciphertext only (key rotation reads it). */
  rawBlobs: BlobStore;
  keyring: Keyring;
  policy: RoutingPolicy;
  redFlags: RedFlagRules | null;
  workerConnection(): RedisConnection;
  close(): Promise<void>;
};

/** Redaction is the backstop, not the control: code logs ids only. */
const REDACT = ['req.headers.authorization', 'req.headers.cookie', '*.text', '*.body', '*.token', '*.password', '*.externalId', '*.note'];

/** `destination`: where lines go (stdout by default); a test passes a stream to read every line back. */
export function createLogger(config: Config, name: string, destination?: DestinationStream): Logger {
  const opts = { name, level: config.LOG_LEVEL, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(opts, destination) : pino(opts);
}

export function dbTls(config: Config): DbTls {
  return { mode: config.DATABASE_SSL, ca: config.DATABASE_CA_FILE ? readFileSync(config.DATABASE_CA_FILE, 'utf8') : undefined };
}

export async function openRuntime(
  config: Config,
  name: string,
  opts: { embeddedRedis: boolean; logDestination?: DestinationStream },
): Promise<Runtime> {
  const log = createLogger(config, name, opts.logDestination);
  const keyring = resolveKeyring(config, log);
  const rawBlobs = createFsBlobStore(join(config.DATA_DIR, 'blobs'));
  const tls = dbTls(config);
  const dbh = await openDb({ url: config.DATABASE_URL, embeddedDir: join(config.DATA_DIR, 'pglite'), tls });
  await migrate(dbh, config.DATABASE_URL, tls);
  const redis = await ensureRedis(config.REDIS_URL, opts.embeddedRedis);
  const children: ChildProcess[] = redis.child ? [redis.child] : [];
  if (redis.child) log.info({ url: redis.url }, 'started an embedded redis-server (nothing kept on disk)');
  const producer = createRedis(redis.url, 'producer');
  producer.on('error', (e) => log.warn({ err: { message: e.message } }, 'redis connection error'));
  await assertNoEviction(producer);
  const queues = createStageQueues(producer, config.QUEUE_PREFIX);
  const workerConns: RedisConnection[] = [];
  // Every process that writes audit events also chains them (one at a time across processes).
  const sequencer = startAuditSequencer(dbh.db, { intervalMs: config.AUDIT_SEQUENCE_INTERVAL_MS, log });
  return {
    config,
    log,
    dbh,
    redisUrl: redis.url,
    producer,
    queues,
    blobs: createSealedBlobStore(rawBlobs, keyring),
    rawBlobs,
    keyring,
    policy: loadPolicy(config.ROUTING_POLICY),
    redFlags: config.RED_FLAGS === 'off' ? null : loadRedFlags(config.RED_FLAGS),
    workerConnection() {
      const c = createRedis(redis.url, 'worker');
      c.on('error', (e) => log.warn({ err: { message: e.message } }, 'redis worker connection error'));
      workerConns.push(c);
      return c;
    },
    async close() {
      await sequencer.stop().catch(() => undefined);
      await queues.close().catch(() => undefined);
      producer.disconnect();
      for (const c of workerConns) c.disconnect();
      await dbh.close().catch(() => undefined);
      for (const c of children) c.kill();
    },
  };
}
