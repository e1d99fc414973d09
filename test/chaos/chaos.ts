/** pnpm chaos [--documents N] [--hl7 N] [--workers W] [--kills K] */
import { parseArgs } from 'node:util';
import { runChaos } from './run-chaos.ts';

const { values } = parseArgs({ options: { documents: { type: 'string' }, workers: { type: 'string' }, kills: { type: 'string' }, scanned: { type: 'string' }, hl7: { type: 'string' } } });
const report = await runChaos({
  documents: Number(values.documents ?? 500),
  hl7Messages: Number(values.hl7 ?? 200),
  workers: Number(values.workers ?? 3),
  kills: Number(values.kills ?? 12),
  scanned: Number(values.scanned ?? 10),
  timeoutMs: 15 * 60_000,
  log: (s) => console.error(s),
});
const { violations, actions, ...counts } = report;
console.log(JSON.stringify(counts, null, 2));
if (violations.length) {
  console.error(`INVARIANTS BROKEN:\n  ${violations.join('\n  ')}`);
  process.exit(1);
}
console.error(`all invariants held (${actions.length} chaos actions)`);
process.exit(0);
