import net from 'node:net';
import { frame, MllpDeframer } from './mllp-framer.ts';

/**
 * Sends one message and waits for its ACK. The outcome says what is safe: `refused` (never written: send again),
 * `unknown` (written but no ACK came: it may have arrived, so not resent automatically), or the ACK.
 */
export type MllpSendResult = { outcome: 'acked'; ack: string } | { outcome: 'refused' | 'unknown'; error: string };

export async function sendMllp(host: string, port: number, payload: string, opts: { timeoutMs?: number; connectTimeoutMs?: number } = {}): Promise<MllpSendResult> {
  return new Promise((resolve) => {
    let written = false;
    let settled = false;
    const socket = net.connect({ host, port });
    const lost = (error: string): MllpSendResult => ({ outcome: written ? 'unknown' : 'refused', error });
    const done = (r: MllpSendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    let timer = setTimeout(() => done(lost('connect timeout')), opts.connectTimeoutMs ?? 10_000);
    const deframer = new MllpDeframer();
    socket.once('connect', () => {
      written = true;
      clearTimeout(timer);
      timer = setTimeout(() => done(lost('no ACK in time')), opts.timeoutMs ?? 30_000);
      socket.write(frame(Buffer.from(payload, 'latin1')));
    });
    socket.on('data', (d) => {
      for (const e of deframer.push(d)) if (e.type === 'message') done({ outcome: 'acked', ack: e.payload.toString('latin1') });
    });
    socket.on('error', (e) => done(lost(e.message)));
    socket.on('close', () => done(lost('connection closed')));
  });
}
