import net from 'node:net';
import { frame, MllpDeframer, parseMessage } from '@triage/hl7';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A made-up REF^I12 (invented patient and referrer) with a unique control id. */
export function chaosReferral(i: number): string {
  return [
    `MSH|^~\\&|CHAOSGP|SURGERY|TRIAGE|HOSP|20261201101500||REF^I12^REF_I12|CHAOS-${i}|P|2.5.1`,
    `RF1|A|R^Routine^HL70280|Med||O|CR-${i}^CHAOSGP|20261201`,
    'PRD|RP|Example^Alex^^^Dr|||^WPN^PH^^^0113^4960000||1234567893^NPI|||Chaos Surgery',
    'PRD|RT|Team^Urology||^^^Urology Clinic',
    `PID|1||CH${i}^^^HOSP^MR||Person^Made${i}||19600101|M`,
    'DG1|1||N40.1^Benign prostatic hyperplasia with lower urinary tract symptoms^I10|Benign prostatic hyperplasia',
    `NTE|||Raised PSA of 6.2 with nocturia and poor stream over six months; please assess (chaos ${i}).`,
  ].join('\r');
}

export type Hl7SendReport = { sent: number; acked: string[]; refused: string[]; resends: number };

/**
 * An MLLP sender as an interface engine behaves: one connection, one message at a time, waits for the ACK, and on
 * a broken connection or a timeout reconnects and sends the same message again. Every few messages it also
 * resends one that was already ACKed, as an engine does after losing an ACK.
 */
export async function sendHl7Stream(port: number, count: number, paceMs: number): Promise<Hl7SendReport> {
  const report: Hl7SendReport = { sent: 0, acked: [], refused: [], resends: 0 };
  let socket: net.Socket | null = null;
  let deframer = new MllpDeframer();
  let waiting: ((ack: string | null) => void) | null = null;
  const connect = async () => {
    for (;;) {
      try {
        const s = net.connect(port, '127.0.0.1');
        await new Promise<void>((resolve, reject) => s.once('connect', resolve).once('error', reject));
        deframer = new MllpDeframer();
        s.on('data', (d) => {
          for (const e of deframer.push(d)) if (e.type === 'message') waiting?.(e.payload.toString('latin1'));
        });
        s.on('error', () => waiting?.(null));
        s.on('close', () => waiting?.(null));
        return s;
      } catch {
        await sleep(200);
      }
    }
  };
  const exchange = async (text: string): Promise<string> => {
    for (;;) {
      socket ??= await connect();
      const ack = await new Promise<string | null>((resolve) => {
        const t = setTimeout(() => resolve(null), 15_000);
        waiting = (a) => {
          clearTimeout(t);
          waiting = null;
          resolve(a);
        };
        socket!.write(frame(text));
      });
      if (ack) return ack;
      socket.destroy();
      socket = null;
      report.resends++;
    }
  };
  for (let i = 0; i < count; i++) {
    await sleep(Math.floor(Math.random() * paceMs * 2));
    const text = chaosReferral(i);
    report.sent++;
    // AR (the database briefly unreachable) is "send again later", as the standard says.
    for (let tries = 0; ; tries++) {
      const code = parseMessage(await exchange(text)).get('MSA', 1);
      if (code === 'AA') {
        report.acked.push(`CHAOS-${i}`);
        break;
      }
      if (code === 'AE' || tries > 20) {
        report.refused.push(`CHAOS-${i}`);
        break;
      }
      await sleep(500);
    }
    if (i % 7 === 3) {
      // A lost ACK: the engine sends the same message again and must get the same answer, nothing new.
      report.resends++;
      await exchange(text);
    }
  }
  (socket as net.Socket | null)?.destroy();
  return report;
}
