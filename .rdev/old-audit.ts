import { desc, sql } from 'drizzle-orm';
import { auditHash, openDb, schema } from '@triage/db';
import { createTestDb } from '@triage/testkit';
const W = 64, E = 50;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const tdb = await createTestDb();
const w = await openDb({ url: tdb.url, poolSize: W });
const lat: number[] = [];
const t0 = performance.now();
await Promise.all(Array.from({ length: W }, async (_, k) => {
  for (let i = 0; i < E; i++) {
    const s = performance.now();
    await w.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(7362003)`);
      const [last] = await tx.select({ hash: schema.auditEvents.hash }).from(schema.auditEvents).orderBy(desc(schema.auditEvents.id)).limit(1);
      const prevHash = last?.hash ?? '0'.repeat(64);
      const row = { at: new Date(), actor: `token:${k}`, action: 'document_read', documentId: null, ip: '127.0.0.1', detail: { i }, allowed: true };
      await tx.insert(schema.auditEvents).values({ ...row, prevHash, hash: auditHash(prevHash, row) });
    });
    lat.push(performance.now() - s);
  }
}));
console.log(`old global lock: ${(lat.length / ((performance.now() - t0) / 1000)).toFixed(0)} appends/s p50 ${pct(lat, 50).toFixed(2)} p99 ${pct(lat, 99).toFixed(2)}`);
await w.close(); await tdb.drop();
