import { ackHeader, startMllpServer, type Encoding, type MllpServer } from '@triage/hl7';
import type { Registry } from 'prom-client';
import { receiveHl7, tooLargeAck, type Hl7IntakeDeps } from './services/hl7-intake.service.ts';
import { hl7Metrics } from './services/hl7-metrics.ts';

export type MllpListenerOptions = {
  port: number;
  host: string;
  maxBytes: number;
  defaultEncoding: Encoding;
  /** Encoding per sending application (`MSH-3^MSH-4` or `MSH-3`), for senders that do not fill MSH-18. */
  senderEncodings?: Record<string, Encoding>;
  endpoint?: string;
  /** Where `triage_hl7_*` metrics go (the API's registry when the listener runs in `triage api`). */
  registry?: Registry;
};

/** HL7 v2 over MLLP: every frame is stored (or refused) by `receiveHl7` before its ACK is written. */
export async function startMllpListener(deps: Hl7IntakeDeps, opts: MllpListenerOptions): Promise<MllpServer> {
  const endpoint = opts.endpoint ?? `mllp:${opts.port}`;
  const observe = opts.registry ? hl7Metrics(opts.registry) : null;
  const encodingFor = (payload: Buffer): Encoding => {
    if (!opts.senderEncodings) return opts.defaultEncoding;
    const h = ackHeader(payload.subarray(0, 512).toString('latin1'));
    const app = h.sendingApplication.split(h.delimiters.component)[0]!;
    const fac = h.sendingFacility.split(h.delimiters.component)[0]!;
    return opts.senderEncodings[`${app}^${fac}`] ?? opts.senderEncodings[app] ?? opts.defaultEncoding;
  };
  return startMllpServer(
    { port: opts.port, host: opts.host, maxBytes: opts.maxBytes, endpoint, log: deps.log.child({ component: 'mllp' }) },
    {
      async message(payload, conn) {
        const t0 = performance.now();
        const r = await receiveHl7(deps, { channel: 'mllp', endpoint, defaultEncoding: encodingFor(payload), actor: `mllp:${conn.id}`, ip: conn.remoteAddress }, payload);
        observe?.('mllp', r.status, (performance.now() - t0) / 1000);
        deps.log.info({ component: 'mllp', connection: conn.id, status: r.status, messageId: r.messageId, documentId: r.documentId, bytes: payload.length }, 'hl7 message answered');
        return Buffer.from(r.ack, 'latin1');
      },
      async tooLarge(info, conn) {
        deps.log.warn({ component: 'mllp', connection: conn.id, bytes: info.bytes, maxBytes: info.maxBytes }, 'hl7 frame over the size limit; answered AR');
        return Buffer.from(tooLargeAck(info.head, info.bytes, info.maxBytes), 'latin1');
      },
    },
  );
}
