import pino from 'pino';
import { STAGES } from '@triage/contracts';
import { insertDocument, type Db } from '@triage/db';
import { createRedis, createStageQueues } from '@triage/queue';
import { startWorkerHost, type HandlerCatalog } from '@triage/worker';
import { waitFor } from '@triage/testkit';
import { sql } from 'drizzle-orm';
import { rowsOf } from '@triage/db';

/** The project's own runner with no-op handlers: ledger reads, provenance rows and commits included. */
export async function runnerNoopChain(db: Db, redisUrl: string, prefix: string, n: number, concurrency: number): Promise<number> {
  const noop: HandlerCatalog = {
    extract: async () => ({ outcome: { type: 'extracted', pages: 1, ocrPages: 1 } }),
    ocr: async () => ({ outcome: { type: 'recognized', pages: 1, meanConfidence: 90 } }),
    fields: async () => ({ outcome: { type: 'read', found: [], missing: [], conflicts: [] } }),
    classify: async () => ({ outcome: { type: 'classified', urgency: 'routine', specialty: 'Urology' } }),
    persist: async () => ({ outcome: { type: 'auto', referralId: null } }),
    notify: async () => ({ outcome: { type: 'notified', sent: 0, unknown: 0 } }),
  };
  const log = pino({ level: 'silent' });
  const producer = createRedis(redisUrl, 'producer');
  const queues = createStageQueues(producer, prefix);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { row } = await insertDocument(db, {
      source: `noop-${prefix}`, sha256: `${prefix}${i}`.padStart(64, '0'), kind: 'text', byteSize: 1,
      storageKey: `sha256/${'0'.repeat(64)}`, externalId: null, idempotencyKey: null, createdBy: null,
    });
    ids.push(row.id);
  }
  const host = startWorkerHost({
    stages: STAGES,
    concurrency,
    connection: createRedis(redisUrl, 'worker'),
    prefix,
    handlers: noop,
    db,
    log,
    runner: { db, queues, log, workerId: 'bench', codeVersion: 'bench' },
  });
  const t0 = performance.now();
  await Promise.all(ids.map((id) => queues.enqueue('extract', { documentId: id, run: 1 })));
  await waitFor(
    async () => {
      const [r] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from documents where source = ${`noop-${prefix}`} and status = 'routed'`));
      return Number(r?.n) === n;
    },
    { timeoutMs: 600_000, intervalMs: 50 },
  );
  const seconds = (performance.now() - t0) / 1000;
  await host.close();
  await queues.close();
  producer.disconnect();
  return n / seconds;
}
