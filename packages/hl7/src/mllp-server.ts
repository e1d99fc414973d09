import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { MllpDeframer, frame, type MllpEvent } from './mllp-framer.ts';

export type MllpConnectionInfo = { id: string; remoteAddress: string; remotePort: number; endpoint: string };
export type MllpHandler = {
  /** One whole frame's payload; resolve with the ACK payload (unframed) to send back. Called one at a time per connection, in arrival order. */
  message(payload: Buffer, conn: MllpConnectionInfo): Promise<Buffer>;
  /** A frame over the size cap: `head` holds its first bytes so the ACK can echo MSH-10. */
  tooLarge(info: { bytes: number; maxBytes: number; head: Buffer }, conn: MllpConnectionInfo): Promise<Buffer>;
};
export type MllpServerOptions = {
  port: number;
  host?: string;
  maxBytes?: number;
  endpoint?: string;
  idleTimeoutMs?: number;
  maxConnections?: number;
  /** pino-style `(obj, msg)`. Only connection ids, byte counts and error class names are logged: payloads are patient data. */
  log?: { info: Function; warn: Function; error: Function };
};
export type MllpServer = { port: number; close(opts?: { graceMs?: number }): Promise<void>; connections(): number };

type Conn = { socket: net.Socket; busy: () => boolean; closed: Promise<void> };

const noop = () => {};
const drained = (s: net.Socket) =>
  new Promise<void>((resolve) => {
    const done = () => {
      s.off('drain', done).off('close', done);
      resolve();
    };
    s.on('drain', done).on('close', done);
  });
const errName = (e: unknown) => (e instanceof Error ? e.constructor.name : typeof e);

/** TCP MLLP listener: deframes, hands each frame to `handler` in order per connection, frames the ACK it returns. */
export async function startMllpServer(opts: MllpServerOptions, handler: MllpHandler): Promise<MllpServer> {
  const log = opts.log ?? { info: noop, warn: noop, error: noop };
  const endpoint = opts.endpoint ?? 'mllp';
  const idleTimeoutMs = opts.idleTimeoutMs ?? 10 * 60_000;
  const maxConnections = opts.maxConnections ?? 200;
  const conns = new Set<Conn>();
  let closing = false;

  const server = net.createServer((socket) => {
    if (closing || conns.size >= maxConnections) {
      log.warn({ endpoint, connections: conns.size, maxConnections }, 'mllp connection refused');
      socket.destroy();
      return;
    }
    serve(socket);
  });

  function serve(socket: net.Socket) {
    const info: MllpConnectionInfo = {
      id: randomUUID(),
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: socket.remotePort ?? 0,
      endpoint,
    };
    const deframer = new MllpDeframer(opts.maxBytes === undefined ? {} : { maxBytes: opts.maxBytes });
    const queue: MllpEvent[] = [];
    let busy = false;
    const conn: Conn = { socket, busy: () => busy, closed: new Promise((r) => socket.once('close', () => r())) };
    conns.add(conn);
    log.info({ conn: info.id, endpoint }, 'mllp connection opened');

    socket.setTimeout(idleTimeoutMs);
    socket.on('timeout', () => {
      // A slow handler is not the peer's silence; the ACK write re-arms the timer.
      if (busy) return;
      log.info({ conn: info.id, idleTimeoutMs }, 'mllp connection idle; closing');
      socket.destroy();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => log.warn({ conn: info.id, err: { name: errName(e), code: e.code } }, 'mllp socket error'));
    socket.on('close', () => {
      conns.delete(conn);
      queue.length = 0;
      log.info({ conn: info.id, bytesRead: socket.bytesRead, ignoredBytes: deframer.ignoredBytes }, 'mllp connection closed');
    });
    socket.on('data', (chunk: Buffer) => {
      if (closing) return;
      queue.push(...deframer.push(chunk));
      void pump();
    });

    // One handler call at a time; the socket stays paused meanwhile, so at most one read's worth of
    // frames waits in `queue` and the deframer holds at most one partial frame (<= maxBytes).
    async function pump() {
      if (busy || queue.length === 0) return;
      busy = true;
      socket.pause();
      try {
        let ev: MllpEvent | undefined;
        while (!closing && !socket.destroyed && (ev = queue.shift())) {
          if (ev.type === 'too_large') log.warn({ conn: info.id, bytes: ev.bytes, maxBytes: ev.maxBytes }, 'mllp frame over size cap');
          const ack =
            ev.type === 'message'
              ? await handler.message(ev.payload, info)
              : await handler.tooLarge({ bytes: ev.bytes, maxBytes: ev.maxBytes, head: ev.head }, info);
          if (socket.destroyed) return;
          // The peer must read its ACKs before we take more frames: no unbounded write buffer either.
          if (!socket.write(frame(ack))) await drained(socket);
        }
      } catch (e) {
        // No ACK means the sender resends; a half-answered connection would leave it hanging.
        log.error({ conn: info.id, err: { name: errName(e) } }, 'mllp handler failed; closing connection');
        socket.destroy();
        return;
      } finally {
        busy = false;
      }
      // Keep reading even when closing: the peer's FIN must be seen for the socket to close.
      if (closing) socket.end();
      socket.resume();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => log.error({ endpoint, err: { name: errName(e) } }, 'mllp server error'));
  const port = (server.address() as net.AddressInfo).port;
  log.info({ endpoint, port }, 'mllp listening');

  let closed: Promise<void> | undefined;
  return {
    port,
    connections: () => conns.size,
    close({ graceMs = 10_000 } = {}) {
      if (closed) return closed;
      closing = true;
      const timer = setTimeout(() => {
        for (const c of conns) c.socket.destroy();
      }, graceMs);
      const stopped = new Promise<void>((r) => server.close(() => r()));
      // Idle connections end now; busy ones end once their in-flight ACK is written (see pump).
      for (const c of conns) if (!c.busy()) c.socket.end();
      // Node counts a socket gone before its 'close' event: wait for ours too, so connections() is 0.
      closed = Promise.all([stopped, ...[...conns].map((c) => c.closed)]).then(() => clearTimeout(timer));
      return closed;
    },
  };
}
