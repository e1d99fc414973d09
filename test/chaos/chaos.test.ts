import { describe, expect, it } from 'vitest';
import { runChaos } from './run-chaos.ts';

// The small CI version of `pnpm chaos`: same schedule, fewer documents.
describe('chaos', () => {
  it('loses nothing and sends nothing twice while workers die, Redis is flushed and SMTP refuses', async () => {
    const report = await runChaos({ documents: 60, hl7Messages: 30, workers: 3, kills: 10, scanned: 2, timeoutMs: 6 * 60_000, freezeMs: 70_000 });
    const { violations, actions, ...counts } = report;
    console.log(JSON.stringify(counts));
    console.log(actions.join('\n'));
    expect(actions.filter((a) => a.startsWith('SIGKILL')).length).toBeGreaterThanOrEqual(10);
    expect(actions.some((a) => a.startsWith('FLUSHALL on Redis'))).toBe(true);
    expect(report.accepted).toBeGreaterThan(80);
    expect(actions.some((a) => /HL7 over MLLP: 30 sent, 30 ACKed AA/.test(a))).toBe(true);
    expect(report.byStatus.routed ?? 0).toBeGreaterThan(0);
    expect(violations).toEqual([]);
  }, 10 * 60_000);
});
