/**
 * pnpm bench:mllp [--messages N] [--connections C] [--rate R]
 * HL7 v2 REF^I12 (no attachment) over MLLP: messages ACKed per second and ACK latency percentiles, next to intake
 * over HTTP (text uploads) in the same run. Each ACK means raw message, sha256, document row and audit committed.
 */
import net from 'node:net';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { frame, MllpDeframer } from '@triage/hl7';
import { reviewEverything, startSystem } from '../test/e2e/system.ts';
import { chaosReferral } from '../test/chaos/hl7-sender.ts';
import { CARDIO_LETTER } from '../test/e2e/letters.ts';

const { values } = parseArgs({ options: { messages: { type: 'string' }, connections: { type: 'string' }, rate: { type: 'string' }, 'sender-port': { type: 'string' }, offset: { type: 'string' } } });
const N = Number(values.messages ?? 2000);
const C = Number(values.connections ?? 8);
/** Messages per second offered in all (0: as fast as ACKs come back). Latency is read at this rate. */
const RATE = Number(values.rate ?? 0);
const basePolicy = JSON.parse(await readFile(new URL('../policy/routing-policy.json', import.meta.url), 'utf8'));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function mllpRun(port: number, offset: number, count = N): Promise<{ rate: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setNoDelay(true);
      await new Promise<void>((r) => socket.once('connect', () => r()));
      const deframer = new MllpDeframer();
      let resolveAck: ((ack: string) => void) | null = null;
      socket.on('data', (d) => {
        for (const e of deframer.push(d)) if (e.type === 'message') resolveAck?.(e.payload.toString('latin1'));
      });
      while (next < count) {
        const n = next++;
        const i = offset + n;
        // Paced: message n is due at t0 + n / RATE and its latency counts from then, so a late send is not hidden.
        const due = RATE ? t0 + (n * 1000) / RATE : 0;
        if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
        const started = RATE ? due : performance.now();
        const ack = await new Promise<string>((r) => {
          resolveAck = r;
          socket.write(frame(chaosReferral(i)));
        });
        if (!ack.includes('|AA|')) throw new Error(`not accepted: ${ack.split('\r')[1]}`);
        latencies.push(performance.now() - started);
      }
      socket.destroy();
    }),
  );
  return { rate: count / ((performance.now() - t0) / 1000), latencies };
}

async function httpRun(url: string, token: string): Promise<{ rate: number; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < N) {
        const i = next++;
        const started = performance.now();
        const res = await fetch(`${url}/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: `${CARDIO_LETTER}\nbench ${i}` });
        if (res.status !== 202) throw new Error(`upload failed: ${res.status}`);
        await res.arrayBuffer();
        latencies.push(performance.now() - started);
      }
    }),
  );
  return { rate: N / ((performance.now() - t0) / 1000), latencies };
}

// The sender runs in its own process, as an interface engine does: its clock is not held up by the listener's event loop.
if (process.argv.includes('--sender-port')) {
  const port = Number(process.argv[process.argv.indexOf('--sender-port') + 1]);
  const offset = Number(process.argv[process.argv.indexOf('--offset') + 1] ?? 0);
  const r = await mllpRun(port, offset);
  process.stdout.write(JSON.stringify(r));
  process.exit(0);
}
async function senderProcess(port: number, offset: number): Promise<{ rate: number; latencies: number[] }> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--sender-port', String(port), '--offset', String(offset), '--messages', String(N), '--connections', String(C), '--rate', String(RATE)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => child.on('exit', r));
  return JSON.parse(out) as { rate: number; latencies: number[] };
}

// Intake only: no workers compete for the two cores, as when a listener runs on its own (`triage mllp`).
const sys = await startSystem({ policy: reviewEverything(basePolicy), env: { LOG_LEVEL: 'warn' }, workers: false });
try {
  const token = await sys.token('intake');
  await mllpRun(sys.mllpPort, 10_000_000, 100); // warm-up
  const mllp = await senderProcess(sys.mllpPort, 0);
  const http = await httpRun(sys.url, token);
  const row = (name: string, r: { rate: number; latencies: number[] }) =>
    `| ${name} | ${r.rate.toFixed(0)} | ${pct(r.latencies, 50).toFixed(1)} | ${pct(r.latencies, 99).toFixed(1)} |`;
  console.log(`\n${N} messages, ${C} connections${RATE ? `, offered at ${RATE}/s` : ', as fast as ACKs return'}\n\n| intake | accepted/s | p50 ms | p99 ms |\n| --- | --- | --- | --- |`);
  console.log(row('HL7 REF^I12 over MLLP (ACK after commit)', mllp));
  console.log(row('text upload over HTTP (202 after commit)', http));
} finally {
  await sys.stop();
}
