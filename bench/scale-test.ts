/**
 * pnpm scale-test [--workers 1,2,4,8] [--documents 200] [--clients 16]
 * One API and 1, 2, 4, 8 worker processes (each running every stage) against one Redis and one Postgres on this
 * machine, measured from outside (bench/processes-bench.ts): throughput, what each added process adds, and worker
 * CPU per document — the inputs of the capacity model in the README.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { runProcessesBench } from './processes-bench.ts';

const { values } = parseArgs({ options: { workers: { type: 'string' }, documents: { type: 'string' }, clients: { type: 'string' } } });
const counts = (values.workers ?? '1,2,4,8').split(',').map(Number);
const N = Number(values.documents ?? 200);
const C = Number(values.clients ?? 16);

const rows: { workers: number; rate: number; intake: number; cpuMs: number; p95: string }[] = [];
for (const w of counts) {
  const r = await runProcessesBench({ processes: ['api', ...Array.from({ length: w }, () => 'worker')], documents: N, clients: C });
  const slowest = [...r.stages].sort((a, b) => b.p95 - a.p95)[0];
  rows.push({ workers: w, rate: r.endToEndPerSecond, intake: r.intakePerSecond, cpuMs: r.cpuPerDocumentMs, p95: slowest ? `${slowest.stage} ${slowest.p95.toFixed(0)} ms` : '' });
  console.error(`${w} worker process(es): ${r.endToEndPerSecond.toFixed(1)} documents/s`);
}
console.log(`\n# scale test: ${N} one-page born-digital PDFs per run, ${C} HTTP clients, ${cpus().length} cores\n`);
console.log('| worker processes | end to end docs/s | added by the last process (× one process) | intake uploads/s | worker CPU per document | slowest stage p95 |');
console.log('| --- | --- | --- | --- | --- | --- |');
const one = rows[0]?.rate ?? 0;
rows.forEach((r, i) => {
  const added = i === 0 ? '–' : `${((r.rate - rows[i - 1]!.rate) / one).toFixed(2)}×`;
  console.log(`| ${r.workers} | ${r.rate.toFixed(1)} | ${added} | ${r.intake.toFixed(1)} | ${r.cpuMs.toFixed(0)} ms | ${r.p95} |`);
});
process.exit(0);
