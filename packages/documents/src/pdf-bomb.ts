import { createInflate } from 'node:zlib';
import { DocumentError } from './errors.ts';

/**
 * No page-description stream of a letter inflates this far; a FlateDecode bomb does (1 KB → 1 MB per layer).
 * Image streams are left to pdf.js, which skips images over the pixel budget before decoding them.
 */
export const MAX_INFLATED_STREAM_BYTES = 128 * 1024 * 1024;

const STREAM = Buffer.from('stream');
const ENDSTREAM = Buffer.from('endstream');
const OBJ = Buffer.from(' obj');

/**
 * Refuses a PDF with a non-image Flate stream that inflates past `limit` bytes, before pdf.js sees it.
 * pdf.js inflates content streams without any bound, so without this a bomb holds a parser thread until
 * the deadline, and again on the retry. Streams that fail to inflate are left for pdf.js to judge.
 */
export async function assertNoFlateBomb(pdf: Uint8Array, limit = MAX_INFLATED_STREAM_BYTES): Promise<void> {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  let at = 0;
  for (;;) {
    const kw = bytes.indexOf(STREAM, at);
    if (kw < 0) return;
    at = kw + STREAM.length;
    if (kw >= 3 && bytes.subarray(kw - 3, kw).toString('latin1') === 'end') continue; // "endstream"
    const objAt = bytes.lastIndexOf(OBJ, kw);
    if (objAt < 0) continue;
    const dict = bytes.subarray(objAt, kw).toString('latin1');
    const layers = (dict.match(/\/FlateDecode|\/Fl\b/g) ?? []).length;
    if (layers === 0 || /\/Subtype\s*\/Image/.test(dict)) continue;
    let start = at;
    if (bytes[start] === 0x0d) start++;
    if (bytes[start] === 0x0a) start++;
    const end = bytes.indexOf(ENDSTREAM, start);
    const data = bytes.subarray(start, end < 0 ? bytes.length : end);
    if (await inflatesPast(data, layers, limit)) {
      throw new DocumentError('too_large', `PDF stream inflates past ${limit} bytes (decompression bomb)`);
    }
    if (end > 0) at = end + ENDSTREAM.length;
  }
}

/** Inflates `layers` times, keeping only what the next layer needs; true as soon as a layer passes `limit`. */
async function inflatesPast(data: Buffer, layers: number, limit: number): Promise<boolean> {
  let input = data;
  for (let layer = 1; layer <= layers; layer++) {
    const keep = layer < layers;
    const r = await inflateCounting(input, limit, keep);
    if (r.past) return true;
    if (!r.ok || !keep) return false;
    input = r.out;
  }
  return false;
}

function inflateCounting(data: Buffer, limit: number, keep: boolean): Promise<{ past: boolean; ok: boolean; out: Buffer }> {
  return new Promise((resolve) => {
    const z = createInflate();
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const settle = (v: { past: boolean; ok: boolean }) => {
      if (settled) return;
      settled = true;
      z.destroy();
      resolve({ ...v, out: keep && v.ok ? Buffer.concat(chunks) : Buffer.alloc(0) });
    };
    z.on('data', (c: Buffer) => {
      total += c.length;
      if (total > limit) return settle({ past: true, ok: false });
      if (keep) chunks.push(c);
    });
    z.on('end', () => settle({ past: false, ok: true }));
    z.on('error', () => settle({ past: false, ok: total > 0 }));
    z.end(data);
  });
}
