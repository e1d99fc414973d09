/** MLLP block characters: start block, end block, carriage return. */
export const VT = 0x0b;
export const FS = 0x1c;
export const CR = 0x0d;
const LF = 0x0a;

export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;
/** Bytes of an oversize frame kept so the AR can still echo its MSH-10. */
const HEAD_BYTES = 8 * 1024;

export type MllpEvent =
  | { type: 'message'; payload: Buffer }
  | { type: 'too_large'; bytes: number; maxBytes: number; head: Buffer };

type State = 'outside' | 'inside' | 'end';

/** Streaming deframer: push raw socket chunks, get whole frames back in order. */
export class MllpDeframer {
  readonly maxBytes: number;
  /** Bytes seen outside any frame (CR/LF between frames are tolerated, not counted). */
  ignoredBytes = 0;
  private state: State = 'outside';
  private parts: Buffer[] = [];
  private size = 0;
  private head: Buffer = Buffer.alloc(0);

  constructor(opts: { maxBytes?: number } = {}) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  push(chunk: Buffer): MllpEvent[] {
    const out: MllpEvent[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'outside') {
        const start = chunk.indexOf(VT, i);
        const stop = start === -1 ? chunk.length : start;
        for (let j = i; j < stop; j++) if (chunk[j] !== CR && chunk[j] !== LF) this.ignoredBytes++;
        if (start === -1) return out;
        this.begin();
        i = start + 1;
      } else if (this.state === 'end') {
        // FS must be followed by CR; a lone FS still ends the frame (lenient senders).
        if (chunk[i] === CR) i++;
        this.finish(out);
      } else {
        const fs = chunk.indexOf(FS, i);
        const vt = chunk.indexOf(VT, i);
        if (vt !== -1 && (fs === -1 || vt < fs)) {
          // A new start block before the end block: the sender gave up on the partial frame.
          this.take(chunk.subarray(i, vt));
          this.ignoredBytes += this.size;
          this.begin();
          i = vt + 1;
          continue;
        }
        const stop = fs === -1 ? chunk.length : fs;
        this.take(chunk.subarray(i, stop));
        if (fs === -1) return out;
        i = fs + 1;
        this.state = 'end';
      }
    }
    return out;
  }

  /** Bytes currently held for an unfinished frame (bounded by maxBytes). */
  get buffered(): number {
    return this.parts.reduce((n, p) => n + p.length, 0);
  }

  private oversize = false;

  private begin() {
    this.state = 'inside';
    this.parts = [];
    this.size = 0;
    this.head = Buffer.alloc(0);
    this.oversize = false;
  }

  private take(bytes: Buffer) {
    if (bytes.length === 0) return;
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, bytes.subarray(0, HEAD_BYTES - this.head.length)]);
    this.size += bytes.length;
    if (this.oversize) return;
    if (this.size > this.maxBytes) {
      // Stop buffering at once; the rest of the frame is only counted.
      this.oversize = true;
      this.parts = [];
      return;
    }
    // Copy: the socket may reuse its chunk buffer.
    this.parts.push(Buffer.from(bytes));
  }

  private finish(out: MllpEvent[]) {
    if (this.oversize) out.push({ type: 'too_large', bytes: this.size, maxBytes: this.maxBytes, head: this.head });
    else out.push({ type: 'message', payload: Buffer.concat(this.parts, this.size) });
    this.parts = [];
    this.size = 0;
    this.head = Buffer.alloc(0);
    this.state = 'outside';
  }
}

/** Wraps one message in MLLP start/end blocks. */
export function frame(payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([Buffer.from([VT]), body, Buffer.from([FS, CR])]);
}
