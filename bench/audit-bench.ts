/**
 * pnpm bench:audit [--writers 64] [--events 50] [--rate R]
 * Audit append latency with W concurrent writers while the sequencer chains behind them, against the local Postgres.
 * Unpaced, latency is W / throughput (Little's law); `--rate` paces each writer to R appends/s, as real requests are.
 */
import { parseArgs } from 'node:util';
import { openDb, recordAudit, sequenceAllAudit, startAuditSequencer, verifyAuditChain } from '@triage/db';
import { createTestDb } from '@triage/testkit';

const { values } = parseArgs({ options: { writers: { type: 'string' }, events: { type: 'string' }, rate: { type: 'string' } } });
const W = Number(values.writers ?? 64);
const E = Number(values.events ?? 50);
const RATE = values.rate ? Number(values.rate) : 0;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const tdb = await createTestDb();
// One connection per writer, so the figure is the append itself, not a wait for a pooled connection.
const writers = await openDb({ url: tdb.url, poolSize: W });
const sequencer = startAuditSequencer(tdb.db, { intervalMs: 200 });
try {
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: W }, async (_, w) => {
      for (let i = 0; i < E; i++) {
        if (RATE) await new Promise((r) => setTimeout(r, Math.random() * (2000 / RATE)));
        const s = performance.now();
        await recordAudit(writers.db, { actor: `token:${w}`, action: 'document_read', documentId: null, ip: '127.0.0.1', detail: { route: '/v1/documents/:id', i } });
        latencies.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  await sequencer.stop();
  await sequenceAllAudit(tdb.db);
  const v = await verifyAuditChain(tdb.db);
  console.log(`${W} writers x ${E} events${RATE ? ` (each ~${RATE}/s)` : ' (unpaced)'}: ${(latencies.length / secs).toFixed(0)} appends/s, p50 ${pct(latencies, 50).toFixed(2)} ms, p99 ${pct(latencies, 99).toFixed(2)} ms; chain ${v.ok ? 'verifies' : 'BROKEN'} (${v.events} events)`);
} finally {
  await sequencer.stop();
  await writers.close();
  await tdb.drop();
}
