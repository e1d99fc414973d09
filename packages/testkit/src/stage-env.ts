import { randomBytes } from 'node:crypto';
import { insertDocument, type Db, type DocumentRow } from '@triage/db';
import { createRedis, createStageQueues, type StageQueues } from '@triage/queue';
import { createTestDb, type TestDb } from './test-db.ts';
import { dropPrefix, randomPrefix, TEST_REDIS_URL } from './test-redis.ts';

/** What a stage test needs: a fresh database and stage queues under a random prefix. */
export type StageEnv = { tdb: TestDb; queues: StageQueues; prefix: string; close(): Promise<void> };

export async function createStageEnv(): Promise<StageEnv> {
  const tdb = await createTestDb();
  const prefix = randomPrefix();
  const redis = createRedis(TEST_REDIS_URL, 'producer');
  const queues = createStageQueues(redis, prefix);
  return {
    tdb,
    queues,
    prefix,
    async close() {
      await queues.close();
      redis.disconnect();
      await dropPrefix(prefix);
      await tdb.drop();
    },
  };
}

/** A document row with a made-up original, for stage tests that never read the bytes. */
export async function insertTestDocument(db: Db, overrides: { source?: string } = {}): Promise<DocumentRow> {
  const { row } = await insertDocument(db, {
    source: overrides.source ?? 'test',
    sha256: randomBytes(32).toString('hex'),
    kind: 'text',
    byteSize: 1,
    storageKey: `sha256/${'0'.repeat(64)}`,
    externalId: null,
    idempotencyKey: null,
    createdBy: null,
  });
  return row;
}
