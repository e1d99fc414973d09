import { createHash } from 'node:crypto';
import net from 'node:net';
import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MllpDeframer, frame } from './mllp-framer.ts';
import { startMllpServer, type MllpHandler, type MllpServer, type MllpServerOptions } from './mllp-server.ts';

const msg = (id: string, extra = '') => `MSH|^~\\&|SEND|FAC|RECV|FAC|20260101||ADT^A01|${id}|P|2.5\rPID|1||123||DOE^JANE${extra}`;
/** MSH-10 of a payload, read from its first segment only (the test needs no parser). */
const controlId = (b: Buffer) => b.subarray(0, 512).toString('latin1').split('\r')[0]!.split('|')[9] ?? '';
const ack = (code: string, id: string) => Buffer.from(`MSH|^~\\&|RECV|FAC|SEND|FAC|20260101||ACK|A${id}|P|2.5\rMSA|${code}|${id}`);
const msa = (ackText: string) => ackText.split('\r')[1]!;

const gate = () => {
  let open = () => {};
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
};

/** Raw peer: collects ACK frames with our own deframer so edge cases stay visible. */
function rawPeer(port: number) {
  const socket = net.connect({ port, host: '127.0.0.1' });
  const d = new MllpDeframer();
  const acks: string[] = [];
  const waiters: (() => void)[] = [];
  socket.on('data', (c) => {
    for (const ev of d.push(c)) if (ev.type === 'message') acks.push(ev.payload.toString());
    waiters.splice(0).forEach((w) => w());
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((r) => socket.on('close', () => r()));
  const acksN = async (n: number) => {
    while (acks.length < n) await new Promise<void>((r) => waiters.push(r));
    return acks.slice(0, n).map(msa);
  };
  return { socket, acksN, closed };
}

function logs() {
  const lines: unknown[] = [];
  const rec = (...a: unknown[]) => lines.push(a);
  return { lines, log: { info: rec, warn: rec, error: rec } };
}

describe('startMllpServer', () => {
  const rec = logs();
  const seen: { id: string; sha: string; bytes: number }[] = [];
  const slow = gate();
  const inSlow = gate();
  const active = new Set<string>();
  let overlapped = false;
  const handler: MllpHandler = {
    async message(payload, conn) {
      const id = controlId(payload);
      seen.push({ id, sha: createHash('sha256').update(payload).digest('hex'), bytes: payload.length });
      if (active.has(conn.id)) overlapped = true;
      active.add(conn.id);
      try {
        if (id === 'BOOM') throw new TypeError('handler bug');
        // Frame 1 of a pair is slower than frame 2: order must still hold.
        if (id === 'P1') await new Promise((r) => setTimeout(r, 50));
        if (id === 'HOLD') (inSlow.open(), await slow.promise);
        return ack('AA', id);
      } finally {
        active.delete(conn.id);
      }
    },
    async tooLarge(info) {
      seen.push({ id: `too_large:${controlId(info.head)}`, sha: '', bytes: info.bytes });
      return ack('AR', controlId(info.head));
    },
  };
  let srv: MllpServer;
  const start = (o: Partial<MllpServerOptions> = {}) => startMllpServer({ port: 0, host: '127.0.0.1', log: rec.log, ...o }, handler);
  beforeAll(async () => {
    srv = await start();
  });
  afterAll(() => srv.close({ graceMs: 1000 }));

  it('binds an ephemeral port', () => expect(srv.port).toBeGreaterThan(0));

  it('answers an Hl7Client sendAndWait with an ACK echoing its control id', async () => {
    const client = new Hl7Client({ host: '127.0.0.1', port: srv.port });
    try {
      const reply = await client.sendAndWait(Hl7Message.parse(msg('C1')));
      expect(reply.getSegment('MSA')?.getField(2)?.toString()).toBe('C1');
      expect(reply.getSegment('MSA')?.getField(1)?.toString()).toBe('AA');
    } finally {
      client.close();
    }
  });

  it('gives 20 messages in a row through one Hl7Client their own ACKs, in order', async () => {
    const client = new Hl7Client({ host: '127.0.0.1', port: srv.port });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push((await client.sendAndWait(Hl7Message.parse(msg(`S${i}`)))).getSegment('MSA')!.getField(2).toString());
      expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `S${i}`));
    } finally {
      client.close();
    }
  });

  it('reassembles a frame written 1 byte at a time', async () => {
    const p = rawPeer(srv.port);
    p.socket.setNoDelay(true); // no Nagle batching: really one byte per segment
    for (const b of frame(msg('B1'))) await new Promise<void>((r) => p.socket.write(Buffer.from([b]), () => r()));
    expect(await p.acksN(1)).toEqual(['MSA|AA|B1']);
    p.socket.end();
  });

  it('handles two frames in one write strictly in order, a trailing LF tolerated', async () => {
    const p = rawPeer(srv.port);
    p.socket.write(Buffer.concat([frame(msg('P1')), Buffer.from('\n'), frame(msg('P2')), Buffer.from('\n')]));
    expect(await p.acksN(2)).toEqual(['MSA|AA|P1', 'MSA|AA|P2']);
    expect(overlapped).toBe(false);
    p.socket.end();
  });

  it('delivers a 20 MB frame intact', async () => {
    const body = Buffer.from(msg('BIG', `\rOBX|1|ED|PDF||${'A'.repeat(20 * 1024 * 1024)}`));
    const p = rawPeer(srv.port);
    p.socket.write(frame(body));
    expect(await p.acksN(1)).toEqual(['MSA|AA|BIG']);
    expect(seen.find((s) => s.id === 'BIG')).toEqual({ id: 'BIG', sha: createHash('sha256').update(body).digest('hex'), bytes: body.length });
    p.socket.end();
  });

  it('reports a frame over maxBytes to tooLarge and keeps the connection usable', async () => {
    const small = await start({ maxBytes: 1024 * 1024 });
    const p = rawPeer(small.port);
    const big = Buffer.from(msg('HUGE', `\rOBX|1|ED|PDF||${'A'.repeat(2 * 1024 * 1024)}`));
    p.socket.write(Buffer.concat([frame(big), frame(msg('AFTER'))]));
    expect(await p.acksN(2)).toEqual(['MSA|AR|HUGE', 'MSA|AA|AFTER']);
    expect(seen.find((s) => s.id === 'too_large:HUGE')?.bytes).toBe(big.length);
    p.socket.end();
    await small.close();
  });

  it('closes the connection when the handler throws, logs no payload, and keeps serving', async () => {
    const p = rawPeer(srv.port);
    p.socket.write(frame(msg('BOOM')));
    await p.closed;
    const text = JSON.stringify(rec.lines);
    expect(text).toContain('TypeError');
    expect(text).not.toMatch(/DOE|JANE|handler bug|BOOM/);
    const q = rawPeer(srv.port);
    q.socket.write(frame(msg('NEXT')));
    expect(await q.acksN(1)).toEqual(['MSA|AA|NEXT']);
    q.socket.end();
  });

  it('runs connections concurrently: one held handler does not block another connection', async () => {
    const a = rawPeer(srv.port);
    a.socket.write(frame(msg('HOLD')));
    await inSlow.promise;
    const b = rawPeer(srv.port);
    b.socket.write(frame(msg('FREE')));
    expect(await b.acksN(1)).toEqual(['MSA|AA|FREE']);
    slow.open();
    expect(await a.acksN(1)).toEqual(['MSA|AA|HOLD']);
    a.socket.end();
    b.socket.end();
  });

  it('close() lets an in-flight handler finish and its ACK reach an Hl7Client', async () => {
    const entered = gate();
    const s = await startMllpServer({ port: 0, host: '127.0.0.1' }, {
      ...handler,
      async message(payload) {
        entered.open();
        await new Promise((r) => setTimeout(r, 300));
        return ack('AA', controlId(payload));
      },
    });
    const client = new Hl7Client({ host: '127.0.0.1', port: s.port });
    const reply = client.sendAndWait(Hl7Message.parse(msg('LAST')));
    await entered.promise;
    const closing = s.close({ graceMs: 10_000 });
    expect((await reply).getSegment('MSA')?.getField(2)?.toString()).toBe('LAST');
    await closing;
    expect(s.connections()).toBe(0);
    client.close();
  });

  it('close() destroys a connection whose handler outlives graceMs', async () => {
    const entered = gate();
    const s = await startMllpServer({ port: 0, host: '127.0.0.1' }, { ...handler, message: () => (entered.open(), new Promise<Buffer>(() => {})) });
    const p = rawPeer(s.port);
    p.socket.write(frame(msg('STUCK')));
    await entered.promise;
    await s.close({ graceMs: 100 });
    await p.closed;
    expect(s.connections()).toBe(0);
  });

  it('refuses connections over maxConnections, then times out the silent one', async () => {
    const r = logs();
    const s = await startMllpServer({ port: 0, host: '127.0.0.1', log: r.log, idleTimeoutMs: 1500, maxConnections: 1 }, handler);
    const first = rawPeer(s.port);
    first.socket.write(frame(msg('ONE')));
    expect(await first.acksN(1)).toEqual(['MSA|AA|ONE']);
    const order: string[] = [];
    const second = rawPeer(s.port);
    await Promise.all([second.closed.then(() => order.push('second')), first.closed.then(() => order.push('first'))]);
    expect(order).toEqual(['second', 'first']);
    expect(JSON.stringify(r.lines)).toMatch(/refused.*idle/);
    await s.close();
    expect(s.connections()).toBe(0);
  });
});
