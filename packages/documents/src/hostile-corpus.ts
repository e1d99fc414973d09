/**
 * A corpus of hostile inputs for intake, generated in memory (no binary blobs in the repository): broken and
 * malicious PDFs, pixel and decompression bombs, TIFF directory tricks, type lies, bad text, nasty multipart
 * requests and JSON bodies that try prototype pollution. Each case says what the system must do with it.
 */
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync, createDeflate } from 'node:zlib';
import { makeBornDigitalPdf, makeFaxTiff, makeScanPng } from './fixtures.ts';

/** What the system must do with a case. */
export type HostileExpectation =
  /** Refused at intake with this status (and error code). */
  | { at: 'intake'; status: number; code?: string }
  /** Accepted, then `failed` with one of these typed reasons. */
  | { at: 'pipeline'; fails: readonly string[] }
  /** Accepted and processed as an ordinary document (the hostile part is inert): routed or in review. */
  | { at: 'pipeline'; processed: true }
  /** Damaged but possibly recoverable: any terminal state, and if it fails, one of these reasons. */
  | { at: 'pipeline'; terminal: readonly string[] };

export type HostileUpload = {
  name: string;
  what: string;
  /** Raw body upload, or a hand-built multipart request (filename and all). */
  request: { kind: 'raw'; body: Buffer; contentType: string } | { kind: 'multipart'; body: Buffer; boundary: string };
  expect: HostileExpectation;
};

export type HostileJson = {
  name: string;
  route: 'review-decision' | 'replay';
  /** Sent verbatim: JSON.stringify would drop a literal "__proto__" key. */
  body: string;
  expectStatus: number;
};

export type CorpusLimits = { maxUploadBytes: number; maxPages: number; maxPagePixels: number; maxDocumentPixels: number; ocrDpi: number; maxTextChars: number };

/** Any failure a damaged file may legitimately end in (all typed; none of them "internal"). */
export const DAMAGED = ['unreadable', 'unsupported_type', 'too_large', 'timeout', 'memory', 'no_text', 'too_many_pages'] as const;

const LETTER = `Dear Cardiology team,
I would be grateful if you could see this 64-year-old man with exertional chest tightness and palpitations
over the last three months. ECG shows atrial fibrillation with a ventricular rate of 110. Blood pressure 150/90.
Please assess for coronary artery disease and rate control of his atrial fibrillation.
Yours sincerely, Dr A. Example, General Practitioner`;

const raw = (body: Buffer | string, contentType = 'application/octet-stream') => ({
  kind: 'raw' as const,
  body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'),
  contentType,
});

// ---------------------------------------------------------------- PDF building

type PdfObject = string | { dict: string; stream: Buffer };

/** Serialises numbered objects (1-based) with a correct xref table unless told to lie. */
export function buildPdf(objects: PdfObject[], opts: { trailer?: string; xref?: 'ok' | 'none' | 'garbage'; header?: string } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from(opts.header ?? '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(length);
    const head = `${i + 1} 0 obj\n`;
    const chunk =
      typeof o === 'string'
        ? Buffer.from(`${head}${o}\nendobj\n`, 'latin1')
        : Buffer.concat([Buffer.from(`${head}${o.dict}\nstream\n`, 'latin1'), o.stream, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
    parts.push(chunk);
    length += chunk.length;
  });
  const xrefAt = length;
  const mode = opts.xref ?? 'ok';
  if (mode !== 'none') {
    const rows = offsets.map((off) => `${String(mode === 'garbage' ? (off * 7919) % 999_999 : off).padStart(10, '0')} 00000 n \n`);
    parts.push(Buffer.from(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${rows.join('')}`, 'latin1'));
  }
  parts.push(Buffer.from(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${opts.trailer ?? ''} >>\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

const content = (text: string) => `BT /F1 12 Tf 72 720 Td 14 TL ${text.split('\n').map((l) => `(${l.replace(/[()\\]/g, '')}) '`).join(' ')} ET`;
const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
const stream = (s: string | Buffer, extra = '') => {
  const b = Buffer.isBuffer(s) ? s : Buffer.from(s, 'latin1');
  return { dict: `<< /Length ${b.length} ${extra} >>`, stream: b };
};

/** Catalog, one-page tree, page, content, font: the skeleton most PDF cases start from. */
function letterPdf(
  opts: { catalogExtra?: string; pageExtra?: string; mediaBox?: string; contents?: PdfObject; more?: PdfObject[]; trailer?: string; resources?: string } = {},
) {
  return buildPdf(
    [
      `<< /Type /Catalog /Pages 2 0 R ${opts.catalogExtra ?? ''} >>`,
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 2 0 R /MediaBox ${opts.mediaBox ?? '[0 0 612 792]'} /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> ${opts.resources ?? ''} >> ${opts.pageExtra ?? ''} >>`,
      opts.contents ?? stream(content(LETTER)),
      FONT,
      ...(opts.more ?? []),
    ],
    { trailer: opts.trailer },
  );
}

/** `bytes` zeros deflated without holding them in memory (about 1 KB of output per MB of input). */
async function deflatedZeros(bytes: number): Promise<Buffer> {
  const d = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  d.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    d.on('end', resolve);
    d.on('error', reject);
  });
  const chunk = Buffer.alloc(64 << 20);
  for (let left = bytes; left > 0; left -= chunk.length) {
    if (!d.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await new Promise((r) => d.once('drain', r));
  }
  d.end();
  await done;
  return Buffer.concat(out);
}

function manyPagesPdf(pages: number, countLie?: number, mediaBox = '[0 0 612 792]'): Buffer {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 4} 0 R`).join(' ');
  const objs: PdfObject[] = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${countLie ?? pages} >>`, stream(content('page'))];
  for (let i = 0; i < pages; i++) objs.push(`<< /Type /Page /Parent 2 0 R /MediaBox ${mediaBox} /Contents 3 0 R >>`);
  return buildPdf(objs);
}

/** The trailer's /Prev names the xref it belongs to (the trailer follows the xref, so its offset is known first). */
function xrefPrevLoopPdf(): Buffer {
  const plain = letterPdf().toString('latin1');
  const xrefAt = Number(/startxref\n(\d+)/.exec(plain)?.[1]);
  return letterPdf({ trailer: `/Prev ${xrefAt}` });
}

/** An xref *stream* whose object stream claims to contain itself. */
function objectStreamLoopPdf(): Buffer {
  // Objects 1-2 live in object stream 3, and 3 is listed as living inside 3.
  const inner = Buffer.from('1 0 2 40 << /Type /Catalog /Pages 2 0 R >>      << /Type /Pages /Kids [] /Count 1 >>', 'latin1');
  const head = Buffer.from('%PDF-1.7\n', 'latin1');
  const objStm = Buffer.concat([Buffer.from(`3 0 obj\n<< /Type /ObjStm /N 2 /First 8 /Extends 3 0 R /Length ${inner.length} >>\nstream\n`, 'latin1'), inner, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
  const xrefAt = head.length + objStm.length;
  // W [1 2 1]: type, field2, field3. Objects 1, 2, 3 all "compressed in object 3"; 4 is the xref stream.
  const rows = Buffer.from([0, 0, 0, 0, 2, 0, 3, 0, 2, 0, 3, 1, 2, 0, 3, 2, 1, (xrefAt >> 8) & 0xff, xrefAt & 0xff, 0]);
  const xref = Buffer.concat([
    Buffer.from(`4 0 obj\n<< /Type /XRef /Size 5 /W [1 2 1] /Root 1 0 R /Prev ${xrefAt} /Length ${rows.length} >>\nstream\n`, 'latin1'),
    rows,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'),
  ]);
  return Buffer.concat([head, objStm, xref]);
}

// ---------------------------------------------------------------- images

function pngChunk(type: string, data: Buffer, badCrc = false): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((crc32(td) ^ (badCrc ? 0xdeadbeef : 0)) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/** A PNG whose header claims width × height; the IDAT holds a few compressed rows only. */
export function pixelFloodPng(width: number, height: number, opts: { idat?: Buffer; badCrc?: boolean } = {}): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(0, 9); // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr, opts.badCrc),
    pngChunk('IDAT', opts.idat ?? deflateSync(Buffer.alloc(Math.min(width + 1, 1 << 20) * 4))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Baseline JPEG markers claiming width × height, with a token scan. */
function hugeJpeg(width: number, height: number): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0, 11, 8, (height >> 8) & 0xff, height & 0xff, (width >> 8) & 0xff, width & 0xff, 1, 1, 0x11, 0]);
  const dqt = Buffer.concat([Buffer.from([0xff, 0xdb, 0, 67, 0]), Buffer.alloc(64, 1)]);
  const dht = Buffer.concat([Buffer.from([0xff, 0xc4, 0, 20, 0x00]), Buffer.from([1, ...Array(15).fill(0)]), Buffer.from([0])]);
  const sos = Buffer.from([0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), dqt, sof, dht, sos, Buffer.alloc(64, 0), Buffer.from([0xff, 0xd9])]);
}

type IfdSpec = { width: number; height: number; next?: number | 'self' };

/** Classic little-endian TIFF with one IFD per spec (1-bit, one strip pointing at a few bytes). */
export function tiffWithIfds(specs: IfdSpec[]): Buffer {
  const ENTRIES = 9;
  const ifdSize = 2 + ENTRIES * 12 + 4;
  const dataAt = 8;
  const strip = 16;
  const firstIfd = dataAt + strip;
  const buf = Buffer.alloc(firstIfd + specs.length * ifdSize);
  buf.write('II', 0, 'latin1');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(specs.length ? firstIfd : 0, 4);
  specs.forEach((s, i) => {
    const at = firstIfd + i * ifdSize;
    buf.writeUInt16LE(ENTRIES, at);
    const entry = (n: number, tag: number, type: number, value: number) => {
      const e = at + 2 + n * 12;
      buf.writeUInt16LE(tag, e);
      buf.writeUInt16LE(type, e + 2);
      buf.writeUInt32LE(1, e + 4);
      buf.writeUInt32LE(value >>> 0, e + 8);
    };
    entry(0, 256, 4, s.width);
    entry(1, 257, 4, s.height);
    entry(2, 258, 3, 1); // bits per sample
    entry(3, 259, 3, 1); // no compression
    entry(4, 262, 3, 0); // white is zero
    entry(5, 273, 4, dataAt); // strip offset
    entry(6, 277, 3, 1); // samples per pixel
    entry(7, 278, 4, s.height); // rows per strip
    entry(8, 279, 4, strip); // strip byte count (a lie for big pages)
    const next = s.next === 'self' ? at : (s.next ?? (i + 1 < specs.length ? at + ifdSize : 0));
    buf.writeUInt32LE(next, at + 2 + ENTRIES * 12);
  });
  return buf;
}

// ---------------------------------------------------------------- multipart

const BOUNDARY = '----hostile-corpus-boundary';

/** A multipart body built by hand, so filenames and field names can carry anything. */
export function multipartBody(parts: Array<{ name: string; filename?: string; contentType?: string; body: Buffer | string }>, boundary = BOUNDARY): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    const disp = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    out.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n${p.contentType ? `Content-Type: ${p.contentType}\r\n` : ''}\r\n`, 'latin1'));
    out.push(Buffer.isBuffer(p.body) ? p.body : Buffer.from(p.body, 'utf8'));
    out.push(Buffer.from('\r\n', 'latin1'));
  }
  out.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return Buffer.concat(out);
}

const mp = (parts: Parameters<typeof multipartBody>[0]) => ({ kind: 'multipart' as const, body: multipartBody(parts), boundary: BOUNDARY });

// ---------------------------------------------------------------- the corpus

/** Every hostile upload, sized against the limits the system under test runs with. */
export async function hostileUploads(limits: CorpusLimits): Promise<HostileUpload[]> {
  const letterPdfBytes = await makeBornDigitalPdf([LETTER]);
  const scan = await makeScanPng('REFERRAL\nPatient has kidney stones\nwith severe flank pain.\nPlease see in urology.', 0);
  const { default: sharp } = await import('sharp');
  const jpeg = await sharp(scan).jpeg({ quality: 80 }).toBuffer();
  const fax = await makeFaxTiff(['REFERRAL to urology', 'page two']);
  const bomb = await deflatedZeros(2 * 1024 ** 3);
  const cut = (b: Buffer, share: number) => b.subarray(0, Math.floor(b.length * share));
  const flip = (b: Buffer, at: number) => {
    const c = Buffer.from(b);
    for (let i = at; i < Math.min(c.length, at + 64); i++) c[i] = c[i]! ^ 0xa5;
    return c;
  };
  const side = Math.ceil(Math.sqrt(limits.maxPagePixels)) + 1; // just over the per-page limit
  const perPageOk = Math.floor(Math.sqrt(limits.maxPagePixels * 0.9));
  const pagesOverTotal = Math.min(limits.maxPages, Math.ceil(limits.maxDocumentPixels / (perPageOk * perPageOk)) + 1);
  // Tabloid pages with no text layer, enough of them that OCR would render past the document pixel limit.
  const tabloidPx = Math.min(limits.maxPagePixels, 792 * 1224 * (limits.ocrDpi / 72) ** 2);
  const tabloidPages = Math.ceil(limits.maxDocumentPixels / tabloidPx) + 1;
  const largeAllowed = Math.min(limits.maxUploadBytes, limits.maxTextChars) - 1024;
  const letterText = Buffer.from(`${LETTER}\n`, 'utf8');
  // Same bytes from the same source are a duplicate upload: each case that carries a letter gets its own.
  const textFor = (name: string) => Buffer.from(`${LETTER}\n(${name})\n`, 'utf8');
  const pdfFor = (name: string) => makeBornDigitalPdf([`${LETTER}\n(${name})`]);
  const filled = (bytes: number) => Buffer.concat(Array.from({ length: Math.ceil(bytes / letterText.length) }, () => letterText)).subarray(0, bytes);

  const uploads: HostileUpload[] = [
    // --- truncated and corrupt PDFs
    { name: 'pdf-header-only', what: 'only "%PDF-1.7"', request: raw('%PDF-1.7\n'), expect: { at: 'pipeline', fails: ['unreadable'] } },
    { name: 'pdf-truncated-10', what: 'first 10% of a letter PDF', request: raw(cut(letterPdfBytes, 0.1)), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'pdf-truncated-50', what: 'first half of a letter PDF', request: raw(cut(letterPdfBytes, 0.5)), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'pdf-truncated-95', what: 'letter PDF missing its xref and trailer', request: raw(cut(letterPdfBytes, 0.95)), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'pdf-no-xref', what: 'objects but no xref table', request: raw(buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>'], { xref: 'none' })), expect: { at: 'pipeline', fails: ['unreadable'] } },
    { name: 'pdf-garbage-xref', what: 'xref offsets point into the middle of objects', request: raw(buildPdf([`<< /Type /Catalog /Pages 2 0 R >>`, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>', stream(content(LETTER)), FONT], { xref: 'garbage' })), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'pdf-corrupt-middle', what: 'letter PDF with 64 bytes flipped mid-file', request: raw(flip(letterPdfBytes, Math.floor(letterPdfBytes.length / 2))), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'pdf-corrupt-flate', what: 'content stream says FlateDecode but holds random bytes', request: raw(letterPdf({ contents: stream(randomBytes(4096), '/Filter /FlateDecode') })), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'pdf-no-catalog', what: 'trailer /Root points at a missing object', request: raw(buildPdf(['<< /Type /Pages /Kids [] /Count 0 >>'], { trailer: '/Root 9 0 R' })), expect: { at: 'pipeline', fails: ['unreadable'] } },
    { name: 'pdf-zero-pages', what: 'a page tree with no pages', request: raw(buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>'])), expect: { at: 'pipeline', fails: ['unreadable'] } },
    { name: 'pdf-nul-padding', what: 'header, then 1 MB of NUL bytes', request: raw(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1 << 20)])), expect: { at: 'pipeline', fails: ['unreadable'] } },
    { name: 'pdf-deep-nesting', what: 'an array nested 100,000 deep', request: raw(letterPdf({ pageExtra: `/Junk ${'['.repeat(100_000)}${']'.repeat(100_000)}` })), expect: { at: 'pipeline', terminal: DAMAGED } },
    // --- encryption
    { name: 'pdf-encrypted-rc4', what: 'Standard security handler R2 with an unknown user password', request: raw(letterPdf({ more: ['<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <' + 'ab'.repeat(32) + '> /U <' + 'cd'.repeat(32) + '> >>'], trailer: '/Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]' })), expect: { at: 'pipeline', fails: ['encrypted'] } },
    { name: 'pdf-encrypted-aes', what: 'AESV2 (V4 R4) with an unknown user password', request: raw(letterPdf({ more: ['<< /Filter /Standard /V 4 /R 4 /Length 128 /P -4 /CF << /StdCF << /CFM /AESV2 /AuthEvent /DocOpen /Length 16 >> >> /StmF /StdCF /StrF /StdCF /O <' + '11'.repeat(32) + '> /U <' + '22'.repeat(32) + '> >>'], trailer: '/Encrypt 6 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]' })), expect: { at: 'pipeline', fails: ['encrypted'] } },
    // --- active content: must stay inert, the letter is still read
    { name: 'pdf-javascript-openaction', what: '/OpenAction JavaScript and a document-level JS name tree', request: raw(letterPdf({ catalogExtra: '/OpenAction << /S /JavaScript /JS (globalThis.polluted = 1; app.alert\\(1\\)) >> /Names << /JavaScript << /Names [(x) << /S /JavaScript /JS (this.submitForm\\("http://127.0.0.1:9/"\\)) >>] >> >>' })), expect: { at: 'pipeline', processed: true } },
    { name: 'pdf-launch-action', what: 'a Launch action that would run a program', request: raw(letterPdf({ catalogExtra: '/OpenAction << /S /Launch /F (/bin/sh) /Win << /F (cmd.exe) /P (/c calc) >> >>' })), expect: { at: 'pipeline', processed: true } },
    { name: 'pdf-js-annotation', what: 'a link annotation with a JavaScript action and an AA dictionary', request: raw(letterPdf({ pageExtra: '/Annots [6 0 R] /AA << /O << /S /JavaScript /JS (globalThis.polluted = 1) >> >>', more: ['<< /Type /Annot /Subtype /Link /Rect [0 0 612 792] /A << /S /JavaScript /JS (globalThis.polluted = 1) >> >>'] })), expect: { at: 'pipeline', processed: true } },
    { name: 'pdf-postscript-function', what: 'a Type 4 (PostScript) function in a shading: code pdf.js must not compile', request: raw(letterPdf({ contents: stream(`${content(LETTER)} /Sh1 sh`), resources: '/Shading << /Sh1 << /ShadingType 1 /ColorSpace /DeviceGray /Function 6 0 R >> >>', more: [{ dict: '<< /FunctionType 4 /Domain [0 1 0 1] /Range [0 1] /Length 40 >>', stream: Buffer.from('{ 2 copy gt { pop } { exch pop } ifelse }') }] })), expect: { at: 'pipeline', terminal: DAMAGED } },
    // --- bombs
    { name: 'pdf-flate-bomb', what: 'a 2 MB FlateDecode content stream inflating to 2 GiB', request: raw(letterPdf({ contents: stream(bomb, '/Filter /FlateDecode') })), expect: { at: 'pipeline', fails: ['too_large'] } },
    { name: 'pdf-flate-bomb-double', what: 'FlateDecode twice: a few KB inflating to 2 GiB', request: raw(letterPdf({ contents: stream(deflateSync(bomb, { level: 9 }), '/Filter [/FlateDecode /FlateDecode]') })), expect: { at: 'pipeline', fails: ['too_large'] } },
    { name: 'pdf-image-bomb', what: 'an image XObject declaring 100,000 × 100,000 pixels', request: raw(letterPdf({ contents: stream('q 612 0 0 792 0 0 cm /Im1 Do Q'), resources: '/XObject << /Im1 6 0 R >>', more: [{ dict: `<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length ${bomb.length} >>`, stream: bomb }] })), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'pdf-inline-image-bomb', what: 'an inline image declaring 60,000 × 60,000 pixels', request: raw(letterPdf({ contents: stream(`q 612 0 0 792 0 0 cm BI /W 60000 /H 60000 /CS /G /BPC 8 ID ${'\0'.repeat(64)} EI Q`) })), expect: { at: 'pipeline', terminal: DAMAGED } },
    // --- loops
    { name: 'pdf-page-tree-loop', what: 'the page tree lists itself as its own kid', request: raw(buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>'])), expect: { at: 'pipeline', fails: ['unreadable'] } },
    { name: 'pdf-page-parent-loop', what: 'two page-tree nodes that are each other\'s kid', request: raw(buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>'])), expect: { at: 'pipeline', fails: ['unreadable'] } },
    { name: 'pdf-reference-loop', what: 'the content stream reference resolves to itself', request: raw(buildPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>', '4 0 R'])), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'pdf-xref-prev-loop', what: 'the trailer\'s /Prev points back at the same xref', request: raw(xrefPrevLoopPdf()), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'pdf-object-stream-loop', what: 'an object stream that contains itself and /Extends itself', request: raw(objectStreamLoopPdf()), expect: { at: 'pipeline', fails: ['unreadable'] } },
    // --- size
    { name: 'pdf-10000-pages', what: '10,000 real page objects', request: raw(manyPagesPdf(10_000)), expect: { at: 'pipeline', fails: ['too_many_pages'] } },
    { name: 'pdf-count-lie', what: 'one page, /Count says 1,000,000', request: raw(manyPagesPdf(1, 1_000_000)), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'pdf-huge-mediabox', what: 'a 200 × 200 inch page with no text layer', request: raw(letterPdf({ mediaBox: '[0 0 14400 14400]', contents: stream('0 0 m 10 10 l S') })), expect: { at: 'pipeline', fails: ['too_large'] } },
    { name: 'pdf-ocr-pixels-over-total', what: `${tabloidPages} scanned-looking tabloid pages: each fine, together over the document pixel limit`, request: raw(manyPagesPdf(tabloidPages, undefined, '[0 0 792 1224]')), expect: { at: 'pipeline', fails: ['too_large'] } },
    { name: 'pdf-absurd-mediabox', what: 'MediaBox [0 0 1e30 1e30] with no text layer', request: raw(letterPdf({ mediaBox: '[0 0 1000000000000000000000000000000 1000000000000000000000000000000]', contents: stream('0 0 m 10 10 l S') })), expect: { at: 'pipeline', fails: ['too_large', 'unreadable'] } },
    { name: 'pdf-negative-mediabox', what: 'MediaBox with negative size', request: raw(letterPdf({ mediaBox: '[0 0 -612 -792]' })), expect: { at: 'pipeline', terminal: DAMAGED } },
    // --- PNG
    { name: 'png-pixel-flood', what: 'PNG header claiming 100,000 × 100,000 pixels', request: raw(pixelFloodPng(100_000, 100_000), 'image/png'), expect: { at: 'pipeline', fails: ['too_large'] } },
    { name: 'png-pixel-flood-strip', what: 'PNG 2^31-1 × 1 pixels', request: raw(pixelFloodPng(0x7fffffff, 1), 'image/png'), expect: { at: 'pipeline', fails: ['too_large', 'unreadable'] } },
    { name: 'png-just-over-page-limit', what: `a real all-white PNG of ${side} × ${side} (just over the per-page pixel limit)`, request: raw(await sharp({ create: { width: side, height: side, channels: 3, background: '#ffffff' } }).greyscale().png({ compressionLevel: 9 }).toBuffer(), 'image/png'), expect: { at: 'pipeline', fails: ['too_large'] } },
    { name: 'png-bad-crc', what: 'a real scan PNG with a corrupted IDAT checksum', request: raw(flip(scan, Math.floor(scan.length / 2)), 'image/png'), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'png-bad-ihdr-crc', what: 'a PNG whose IHDR checksum is wrong', request: raw(pixelFloodPng(100, 100, { badCrc: true })), expect: { at: 'pipeline', fails: ['unreadable'] } },
    { name: 'png-truncated', what: 'first half of a scan PNG', request: raw(cut(scan, 0.5), 'image/png'), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'png-signature-only', what: 'the 8-byte PNG signature alone', request: raw(scan.subarray(0, 8)), expect: { at: 'pipeline', fails: ['unreadable'] } },
    { name: 'png-zero-size', what: 'IHDR with 0 × 0 pixels', request: raw(pixelFloodPng(0, 0)), expect: { at: 'pipeline', fails: ['unreadable'] } },
    // --- JPEG
    { name: 'jpeg-truncated', what: 'first 40% of a JPEG scan', request: raw(cut(jpeg, 0.4), 'image/jpeg'), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'jpeg-huge-dimensions', what: 'SOF claiming 65,500 × 65,500 pixels', request: raw(hugeJpeg(65_500, 65_500), 'image/jpeg'), expect: { at: 'pipeline', fails: ['too_large', 'unreadable'] } },
    { name: 'jpeg-soi-only', what: 'FF D8 FF and nothing else', request: raw(Buffer.from([0xff, 0xd8, 0xff])), expect: { at: 'pipeline', fails: ['unreadable'] } },
    { name: 'jpeg-garbage-body', what: 'a JPEG start marker followed by random bytes', request: raw(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(8192)])), expect: { at: 'pipeline', fails: ['unreadable'] } },
    // --- TIFF
    { name: 'tiff-huge-ifd', what: 'a TIFF directory declaring 1,000,000 × 1,000,000 pixels', request: raw(tiffWithIfds([{ width: 1_000_000, height: 1_000_000 }]), 'image/tiff'), expect: { at: 'pipeline', fails: ['too_large', 'unreadable'] } },
    { name: 'tiff-many-ifds', what: '5,000 one-pixel directories', request: raw(tiffWithIfds(Array.from({ length: 5000 }, () => ({ width: 1, height: 1 }))), 'image/tiff'), expect: { at: 'pipeline', fails: ['too_many_pages'] } },
    { name: 'tiff-total-pixels', what: `${pagesOverTotal} pages of ${perPageOk} × ${perPageOk}: each allowed, together over the document pixel limit`, request: raw(tiffWithIfds(Array.from({ length: pagesOverTotal }, () => ({ width: perPageOk, height: perPageOk })))), expect: { at: 'pipeline', fails: ['too_large'] } },
    { name: 'tiff-ifd-loop', what: 'a directory whose next-IFD offset points at itself', request: raw(tiffWithIfds([{ width: 64, height: 64, next: 'self' }])), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'tiff-ifd-out-of-file', what: 'first IFD offset beyond the end of the file', request: raw(Buffer.from([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0x7f])), expect: { at: 'pipeline', fails: ['unreadable'] } },
    { name: 'tiff-truncated', what: 'first 30% of a fax TIFF', request: raw(cut(fax, 0.3), 'image/tiff'), expect: { at: 'pipeline', terminal: DAMAGED } },
    { name: 'bigtiff-garbage', what: 'a BigTIFF header followed by random bytes', request: raw(Buffer.concat([Buffer.from([0x49, 0x49, 0x2b, 0x00, 8, 0, 0, 0]), randomBytes(1024)])), expect: { at: 'pipeline', fails: ['unreadable'] } },
    // --- lies about type
    { name: 'text-claims-pdf', what: 'a typed letter sent as application/pdf', request: raw(textFor('text-claims-pdf'), 'application/pdf'), expect: { at: 'pipeline', processed: true } },
    { name: 'pdf-claims-png', what: 'a born-digital PDF sent as image/png', request: raw(await pdfFor('pdf-claims-png'), 'image/png'), expect: { at: 'pipeline', processed: true } },
    { name: 'exe-named-pdf', what: 'a Windows executable uploaded as letter.pdf', request: mp([{ name: 'file', filename: 'letter.pdf', contentType: 'application/pdf', body: Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), randomBytes(2048)]) }]), expect: { at: 'intake', status: 415, code: 'unsupported_media_type' } },
    { name: 'zip-named-pdf', what: 'a ZIP (docx) sent as application/pdf', request: raw(Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'), randomBytes(1024)]), 'application/pdf'), expect: { at: 'intake', status: 415, code: 'unsupported_media_type' } },
    { name: 'gif-as-png', what: 'a GIF sent as image/png', request: raw(Buffer.concat([Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00', 'latin1'), randomBytes(64)]), 'image/png'), expect: { at: 'intake', status: 415, code: 'unsupported_media_type' } },
    { name: 'pdf-magic-late', what: '"%PDF-" after 1 KB of garbage', request: raw(Buffer.concat([randomBytes(1024), Buffer.from('%PDF-1.7\n')])), expect: { at: 'intake', status: 415, code: 'unsupported_media_type' } },
    // --- empty and garbage
    { name: 'zero-bytes', what: 'an empty body', request: raw(Buffer.alloc(0)), expect: { at: 'intake', status: 400, code: 'empty_body' } },
    { name: 'zero-bytes-multipart', what: 'an empty multipart file', request: mp([{ name: 'file', filename: 'empty.pdf', body: Buffer.alloc(0) }]), expect: { at: 'intake', status: 400, code: 'empty_body' } },
    { name: 'binary-garbage', what: '64 KB of random bytes', request: raw(randomBytes(65_536)), expect: { at: 'intake', status: 415, code: 'unsupported_media_type' } },
    { name: 'whitespace-only', what: '10 KB of spaces and newlines', request: raw(' \n'.repeat(5000), 'text/plain'), expect: { at: 'intake', status: 415, code: 'unsupported_media_type' } },
    // --- text
    { name: 'text-over-limit', what: `a text file of ${limits.maxUploadBytes + 1} bytes (one over the limit)`, request: raw(filled(limits.maxUploadBytes + 1), 'text/plain'), expect: { at: 'intake', status: 413, code: 'payload_too_large' } },
    { name: 'text-over-limit-multipart', what: 'the same, as a multipart file', request: mp([{ name: 'file', filename: 'big.txt', body: filled(limits.maxUploadBytes + 1) }]), expect: { at: 'intake', status: 413, code: 'payload_too_large' } },
    { name: 'text-large-allowed', what: `a text file of ${largeAllowed} bytes (under the byte and text limits)`, request: raw(filled(largeAllowed), 'text/plain'), expect: { at: 'pipeline', processed: true } },
    ...(limits.maxTextChars + 1024 < limits.maxUploadBytes
      ? [{ name: 'text-over-char-limit', what: `${limits.maxTextChars + 1024} characters: within the byte limit, over the text limit`, request: raw(filled(limits.maxTextChars + 1024), 'text/plain'), expect: { at: 'pipeline' as const, fails: ['too_large'] } }]
      : []),
    { name: 'text-with-nuls', what: 'a letter with NUL bytes in it', request: raw(Buffer.concat([letterText, Buffer.alloc(16), letterText]), 'text/plain'), expect: { at: 'intake', status: 415, code: 'unsupported_media_type' } },
    { name: 'text-invalid-utf8', what: 'a letter with invalid UTF-8 sequences', request: raw(Buffer.concat([letterText, Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe]), letterText]), 'text/plain'), expect: { at: 'intake', status: 415, code: 'unsupported_media_type' } },
    { name: 'text-invalid-utf8-late', what: 'valid UTF-8 for 100 KB (past the sniff window), then an invalid byte', request: raw(Buffer.concat([filled(100_000), Buffer.from([0xff, 0xfe, 0xfd])]), 'text/plain'), expect: { at: 'pipeline', fails: ['unreadable'] } },
    { name: 'text-control-chars', what: 'a letter salted with terminal escape sequences', request: raw(Array.from({ length: 400 }, (_, i) => (i % 2 ? '\x1b[2J\x07\x08' : 'word ')).join(''), 'text/plain'), expect: { at: 'intake', status: 415, code: 'unsupported_media_type' } },
    { name: 'text-bidi-zero-width', what: 'a letter full of right-to-left overrides and zero-width joiners', request: raw(LETTER.replace(/ /g, ' \u202e\u200d'), 'text/plain'), expect: { at: 'pipeline', processed: true } },
    { name: 'text-one-long-line', what: '1 MB without a newline', request: raw(filled(1 << 20).toString('utf8').replace(/\n/g, ' '), 'text/plain'), expect: { at: 'pipeline', processed: true } },
    { name: 'svg-with-script', what: 'an SVG with a <script>: plain text to us, never rendered', request: raw(`<svg xmlns="http://www.w3.org/2000/svg"><script>globalThis.polluted=1</script><text>${LETTER}</text></svg>`, 'image/svg+xml'), expect: { at: 'pipeline', processed: true } },
    // --- multipart tricks
    { name: 'filename-traversal', what: 'multipart filename ../../etc/passwd', request: mp([{ name: 'file', filename: '../../etc/passwd', body: textFor('filename-traversal') }]), expect: { at: 'pipeline', processed: true } },
    { name: 'filename-control-chars', what: 'multipart filename with NUL, ESC and bell characters', request: mp([{ name: 'file', filename: 'a\x00b\x1b[31mc\x07.pdf', body: await pdfFor('filename-control-chars') }]), expect: { at: 'pipeline', processed: true } },
    { name: 'filename-10k', what: 'a 10,000-character filename', request: mp([{ name: 'file', filename: `${'A'.repeat(10_000)}.pdf`, body: textFor('filename-10k') }]), expect: { at: 'pipeline', processed: true } },
    { name: 'multipart-two-files', what: 'two files where one is allowed', request: mp([{ name: 'file', filename: 'a.txt', body: textFor('multipart-two-files') }, { name: 'file', filename: 'b.txt', body: textFor('multipart-two-files') }]), expect: { at: 'intake', status: 413, code: 'payload_too_large' } },
    { name: 'multipart-many-fields', what: '50 form fields', request: mp([...Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, body: 'x' })), { name: 'file', filename: 'a.txt', body: textFor('multipart-many-fields') }]), expect: { at: 'intake', status: 413, code: 'payload_too_large' } },
    { name: 'multipart-proto-field', what: 'a form field named __proto__', request: mp([{ name: '__proto__', body: 'polluted' }, { name: 'file', filename: 'a.txt', body: textFor('multipart-proto-field') }]), expect: { at: 'intake', status: 400, code: 'invalid_request' } },
    { name: 'multipart-constructor-field', what: 'a form field named constructor', request: mp([{ name: 'constructor', body: 'x' }, { name: 'file', filename: 'a.txt', body: textFor('multipart-constructor-field') }]), expect: { at: 'intake', status: 400, code: 'invalid_request' } },
    { name: 'multipart-oversized-field', what: 'a 4 KB source field (limit 1 KB)', request: mp([{ name: 'source', body: 'a'.repeat(4096) }, { name: 'file', filename: 'a.txt', body: textFor('multipart-oversized-field') }]), expect: { at: 'intake', status: 400, code: 'invalid_request' } },
    { name: 'multipart-wrong-field', what: 'the file under another field name', request: mp([{ name: 'document', filename: 'a.txt', body: textFor('multipart-wrong-field') }]), expect: { at: 'intake', status: 400, code: 'invalid_request' } },
    { name: 'multipart-bad-boundary', what: 'a body whose boundary never appears', request: { kind: 'multipart', body: Buffer.from('no boundary here at all\r\n'), boundary: 'never-used' }, expect: { at: 'intake', status: 400 } },
  ];
  return uploads;
}

/** JSON bodies aimed at the JSON routes; each must be refused with a 4xx and pollute nothing. */
export const hostileJson: readonly HostileJson[] = [
  { name: 'decision-proto', route: 'review-decision', body: '{"action":"confirm","__proto__":{"polluted":true}}', expectStatus: 400 },
  { name: 'decision-constructor-prototype', route: 'review-decision', body: '{"action":"confirm","constructor":{"prototype":{"polluted":true}}}', expectStatus: 400 },
  { name: 'decision-nested-proto', route: 'review-decision', body: '{"action":"correct","urgency":"routine","specialty":{"__proto__":{"polluted":true}}}', expectStatus: 400 },
  { name: 'decision-deep-nesting', route: 'review-decision', body: `{"action":"confirm","note":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, expectStatus: 400 },
  { name: 'decision-huge', route: 'review-decision', body: `{"action":"confirm","note":"${'x'.repeat(200_000)}"}`, expectStatus: 413 },
  { name: 'replay-proto', route: 'replay', body: '{"__proto__":{"polluted":true}}', expectStatus: 400 },
  { name: 'replay-constructor-prototype', route: 'replay', body: '{"fromStage":"extract","constructor":{"prototype":{"polluted":true}}}', expectStatus: 400 },
  { name: 'replay-stage-injection', route: 'replay', body: '{"fromStage":"extract; drop table documents"}', expectStatus: 400 },
  { name: 'replay-not-json', route: 'replay', body: '{"fromStage": extract', expectStatus: 400 },
];
