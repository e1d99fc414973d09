import { describe, expect, it } from 'vitest';
import { FS, CR, MllpDeframer, frame, type MllpEvent } from './mllp-framer.ts';

const msg = (n: number) => `MSH|^~\\&|A|B|C|D|20260101||ADT^A01|C${n}|P|2.5\rPID|1||${n}\r`;
const payloads = (evs: MllpEvent[]) => evs.map((e) => (e.type === 'message' ? e.payload.toString() : `too_large:${e.bytes}`));

describe('MllpDeframer', () => {
  it('reassembles a frame fed one byte at a time', () => {
    const d = new MllpDeframer();
    const bytes = frame(msg(1));
    const evs: MllpEvent[] = [];
    for (const b of bytes) evs.push(...d.push(Buffer.from([b])));
    expect(payloads(evs)).toEqual([msg(1)]);
  });

  it('splits two frames in one read, with a trailing LF tolerated', () => {
    const d = new MllpDeframer();
    const evs = d.push(Buffer.concat([frame(msg(1)), Buffer.from('\n'), frame(msg(2)), Buffer.from('\n')]));
    expect(payloads(evs)).toEqual([msg(1), msg(2)]);
    expect(d.ignoredBytes).toBe(0);
  });

  it('ignores and counts garbage between frames', () => {
    const d = new MllpDeframer();
    const evs = d.push(Buffer.concat([Buffer.from('xx'), frame(msg(1)), Buffer.from('junk'), frame(msg(2))]));
    expect(payloads(evs)).toEqual([msg(1), msg(2)]);
    expect(d.ignoredBytes).toBe(6);
  });

  it('keeps a 20 MB frame split across 64 KiB reads', () => {
    const d = new MllpDeframer();
    const body = Buffer.alloc(20 * 1024 * 1024, 0x41);
    const bytes = frame(body);
    const evs: MllpEvent[] = [];
    for (let i = 0; i < bytes.length; i += 65536) evs.push(...d.push(bytes.subarray(i, i + 65536)));
    expect(evs).toHaveLength(1);
    expect(evs[0]!.type === 'message' && evs[0]!.payload.equals(body)).toBe(true);
  });

  it('reports an oversize frame without buffering it, then carries on', () => {
    const d = new MllpDeframer({ maxBytes: 1000 });
    const big = frame(Buffer.alloc(5000, 0x42));
    const evs: MllpEvent[] = [];
    for (let i = 0; i < big.length; i += 100) {
      evs.push(...d.push(big.subarray(i, i + 100)));
      expect(d.buffered).toBeLessThanOrEqual(1000);
    }
    evs.push(...d.push(frame(msg(3))));
    expect(evs[0]).toMatchObject({ type: 'too_large', bytes: 5000, maxBytes: 1000 });
    expect(payloads(evs.slice(1))).toEqual([msg(3)]);
  });

  it('frame() wraps with VT … FS CR', () => {
    const f = frame('X');
    expect([...f]).toEqual([0x0b, 0x58, FS, CR]);
  });
});
