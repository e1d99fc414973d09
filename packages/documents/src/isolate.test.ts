import { PDFDocument, PDFHexString, PDFName, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentError } from './errors.ts';
import { makeBornDigitalPdf, makeFaxTiff, makeImageOnlyPdf, makeMixedPdf, makeScanPng } from './fixtures.ts';
import { closeDocumentWorkers, extractPages, renderPage } from './isolate.ts';

const limits = { maxPages: 20, minTextChars: 20, timeoutMs: 20_000, maxMemoryMb: 256, maxPagePixels: 60_000_000, maxDocumentPixels: 400_000_000, renderDpi: 200, maxTextChars: 1_000_000 };
const render = { dpi: 200, timeoutMs: 20_000, maxMemoryMb: 256, maxPixels: 40_000_000 };
const TYPED = 'Referral to cardiology. Exertional chest pain for three weeks, worse on stairs.';
const SCANNED = 'Scanned page two. Please book an outpatient appointment within two weeks.';

async function failure(p: Promise<unknown>): Promise<DocumentError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DocumentError);
  return err as DocumentError;
}

/** A PDF locked with a user password we do not know (standard security handler). */
async function encryptedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await makeBornDigitalPdf([TYPED]));
  const { context } = doc;
  const hex = (byte: string) => PDFHexString.of(byte.repeat(32));
  const dict = context.obj({ Filter: 'Standard', V: 1, R: 2, Length: 40, P: -44, O: hex('ab'), U: hex('cd') });
  context.trailerInfo.Encrypt = context.register(dict);
  context.trailerInfo.ID = context.obj([PDFHexString.of('01'.repeat(16)), PDFHexString.of('01'.repeat(16))]);
  return doc.save({ useObjectStreams: false });
}

/** One page whose content stream shows many separate strings: cheap bytes, heavy heap. */
async function heapHeavyPdf(strings: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  page.node.setFontDictionary(PDFName.of('F1'), font.ref);
  const ops = Array.from({ length: strings }, (_, i) => `1 0 0 1 ${i % 500} ${i % 700} Tm (w${i}) Tj`);
  const stream = doc.context.flateStream(`BT /F1 8 Tf\n${ops.join('\n')}\nET\n`);
  page.node.set(PDFName.of('Contents'), doc.context.register(stream));
  return doc.save();
}

afterAll(() => closeDocumentWorkers());

describe('extractPages', () => {
  it('returns the text layer of each born-digital page', async () => {
    const pdf = await makeBornDigitalPdf([TYPED, 'Second page: allergies none known, on aspirin 75 mg.']);
    const pages = await extractPages(pdf, 'pdf', limits);
    expect(pages.map((p) => [p.pageNo, p.source])).toEqual([
      [1, 'text-layer'],
      [2, 'text-layer'],
    ]);
    expect(pages[0]!.text.replace(/\s+/g, ' ')).toBe(TYPED);
    expect(pages[1]!.text).toContain('aspirin 75 mg');
  });

  it('marks an image-only page for OCR', async () => {
    const pages = await extractPages(await makeImageOnlyPdf([SCANNED]), 'pdf', limits);
    expect(pages).toEqual([{ pageNo: 1, text: '', source: 'needs-ocr' }]);
  });

  it('handles a PDF that mixes typed and scanned pages page by page', async () => {
    const pdf = await makeMixedPdf([
      { text: TYPED, scanned: false },
      { text: SCANNED, scanned: true },
    ]);
    const pages = await extractPages(pdf, 'pdf', limits);
    expect(pages.map((p) => p.source)).toEqual(['text-layer', 'needs-ocr']);
    expect(pages[0]!.text).toContain('cardiology');
  });

  it('treats a page with only a stray header as scanned', async () => {
    const pages = await extractPages(await makeBornDigitalPdf(['Page 1/3']), 'pdf', limits);
    expect(pages[0]!.source).toBe('needs-ocr');
  });

  it('gives one OCR page per page of a multi-page fax TIFF', async () => {
    const pages = await extractPages(await makeFaxTiff(['one', 'two', 'three']), 'tiff', limits);
    expect(pages).toEqual([1, 2, 3].map((pageNo) => ({ pageNo, text: '', source: 'needs-ocr' })));
  });

  it('gives one OCR page for a PNG', async () => {
    const pages = await extractPages(await makeScanPng('hello', 0), 'png', limits);
    expect(pages).toEqual([{ pageNo: 1, text: '', source: 'needs-ocr' }]);
  });

  it('decodes plain text as one page, dropping the BOM and CRLFs', async () => {
    const bytes = new TextEncoder().encode('\ufeffDear colleague,\r\nplease see Mr Brown.\r\n');
    expect(await extractPages(bytes, 'text', limits)).toEqual([
      { pageNo: 1, text: 'Dear colleague,\nplease see Mr Brown.', source: 'plain' },
    ]);
    expect((await failure(extractPages(Uint8Array.from([0xc3, 0x28]), 'text', limits))).reason).toBe('unreadable');
  });

  it('reports corrupt and truncated PDFs as unreadable, without echoing content', async () => {
    const good = await makeBornDigitalPdf([TYPED]);
    for (const bad of [Buffer.from(`%PDF-1.7\n${'x'.repeat(500)}`), good.subarray(0, good.length >> 1)]) {
      const err = await failure(extractPages(bad, 'pdf', limits));
      expect(err.reason).toBe('unreadable');
      expect(err.permanent).toBe(true);
      expect(err.message).not.toMatch(/cardiology|xxxx/);
    }
  });

  it('reports bytes that are not the declared kind as unreadable', async () => {
    expect((await failure(extractPages(await makeScanPng('x', 0), 'pdf', limits))).reason).toBe('unreadable');
    expect((await failure(extractPages(Buffer.from('not an image'), 'tiff', limits))).reason).toBe('unreadable');
  });

  it('reports a password-protected PDF as encrypted', async () => {
    const err = await failure(extractPages(await encryptedPdf(), 'pdf', limits));
    expect(err.reason).toBe('encrypted');
  });

  it('refuses documents over the page limit', async () => {
    const small = { ...limits, maxPages: 2 };
    expect((await failure(extractPages(await makeBornDigitalPdf(['a', 'b', 'c']), 'pdf', small))).reason).toBe('too_many_pages');
    expect((await failure(extractPages(await makeFaxTiff(['a', 'b', 'c']), 'tiff', small))).reason).toBe('too_many_pages');
  });

  it('kills the worker at the deadline and reports a retryable timeout', async () => {
    const pdf = await makeBornDigitalPdf(Array.from({ length: 20 }, (_, i) => `${TYPED} Page ${i + 1}.`));
    await extractPages(pdf, 'pdf', limits); // warm a worker so the deadline measures the work only
    const err = await failure(extractPages(pdf, 'pdf', { ...limits, timeoutMs: 1 }));
    expect(err.reason).toBe('timeout');
    expect(err.permanent).toBe(false);
    // a fresh worker takes over afterwards
    expect(await extractPages(pdf, 'pdf', limits)).toHaveLength(20);
  });

  it('reports a worker that exhausts its heap as memory', async () => {
    const pdf = await heapHeavyPdf(150_000);
    const err = await failure(extractPages(pdf, 'pdf', { ...limits, maxMemoryMb: 40 }));
    expect(err.reason).toBe('memory');
    expect(err.permanent).toBe(true);
  });

  it('does not detach the caller’s buffer', async () => {
    const pdf = await makeBornDigitalPdf([TYPED]);
    await extractPages(pdf, 'pdf', limits);
    expect(pdf.byteLength).toBeGreaterThan(0);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('renderPage', () => {
  it('renders a PDF page as a grayscale PNG at the requested dpi', async () => {
    const pdf = await makeBornDigitalPdf([TYPED]);
    const png = await renderPage(pdf, 'pdf', 1, render);
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 1700, 2200, 1]);
    const small = await sharp(await renderPage(pdf, 'pdf', 1, { ...render, dpi: 100 })).metadata();
    expect([small.width, small.height]).toEqual([850, 1100]);
  });

  it('renders the requested TIFF page and undoes standard-fax half-height pixels', async () => {
    const fine = await renderPage(await makeFaxTiff(['a', 'b', 'c']), 'tiff', 3, render);
    const standard = await renderPage(await makeFaxTiff(['a'], { resolution: 'standard' }), 'tiff', 1, render);
    for (const png of [fine, standard]) {
      const meta = await sharp(png).metadata();
      expect([meta.width, meta.height, meta.channels]).toEqual([1700, 2200, 1]);
    }
  });

  it('applies EXIF orientation of a phone JPEG before anything else', async () => {
    // stored landscape with "rotate 90° clockwise to display" (orientation 6)
    const jpeg = await sharp(await makeScanPng('x', 270)).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const meta = await sharp(await renderPage(jpeg, 'jpeg', 1, render)).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([1700, 2200, 1]);
  });

  it('refuses images above the pixel limit', async () => {
    const png = await makeScanPng('x', 0); // 1700×2200
    const err = await failure(renderPage(png, 'png', 1, { ...render, maxPixels: 1_000_000 }));
    expect(err.reason).toBe('too_large');
  });

  it('shrinks a PDF page to fit the pixel limit, but not below a readable resolution', async () => {
    const pdf = await makeBornDigitalPdf([TYPED]);
    const fitted = await sharp(await renderPage(pdf, 'pdf', 1, { ...render, dpi: 300, maxPixels: 3_740_000 })).metadata();
    expect(fitted.width! * fitted.height!).toBeLessThanOrEqual(3_740_000);
    expect(fitted.width).toBeGreaterThanOrEqual(1690);
    const err = await failure(renderPage(pdf, 'pdf', 1, { ...render, maxPixels: 100_000 }));
    expect(err.reason).toBe('too_large');
  });

  it('rejects a page number outside the document as a caller error', async () => {
    const err = await renderPage(await makeBornDigitalPdf([TYPED]), 'pdf', 2, render).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RangeError);
    expect(err).not.toBeInstanceOf(DocumentError);
  });

  it('has nothing to render for text', async () => {
    expect((await failure(renderPage(Buffer.from('hi'), 'text', 1, render))).reason).toBe('unsupported');
  });
});
