import sharp from 'sharp';
import { DocumentError, PageRangeError } from './errors.ts';
import { isImageKind, renderImagePage, sharpFailure } from './image.ts';
import { openPdf, pdfFailure, pdfPageCount } from './pdf.ts';
import { assertNoFlateBomb } from './pdf-bomb.ts';
import type { DocumentKind, RenderOptions } from './types.ts';

/** Below this a letter page is too coarse for OCR, so shrinking to fit maxPixels stops here. */
const MIN_RENDER_DPI = 100;
const POINTS_PER_INCH = 72;

/** Renders one page (1-based) as a grayscale PNG in this thread. Use `renderPage` from callers. */
export async function renderInProcess(bytes: Uint8Array, kind: DocumentKind, pageNo: number, opts: RenderOptions): Promise<Buffer> {
  if (kind === 'pdf') return renderPdfPage(bytes, pageNo, opts);
  if (isImageKind(kind)) return renderImagePage(bytes, kind, pageNo, opts);
  throw new DocumentError('unsupported', `cannot render a ${kind} document`);
}

export async function renderPdfPage(bytes: Uint8Array, pageNo: number, opts: RenderOptions): Promise<Buffer> {
  await assertNoFlateBomb(bytes);
  // maxImageSize makes pdf.js skip (not decode) embedded images above the pixel budget.
  const parser = await openPdf(bytes, { maxImagePixels: opts.maxPixels });
  let png: Uint8Array;
  let scale: number;
  try {
    const total = await pdfPageCount(parser);
    if (pageNo < 1 || pageNo > total) throw new PageRangeError(pageNo, total);
    const info = await parser.getInfo({ parsePageInfo: true, partial: [pageNo] });
    const page = info.pages[0];
    if (!page || !(page.width > 0) || !(page.height > 0)) throw new DocumentError('unreadable', 'PDF page has no size');
    scale = fitScale(page.width, page.height, opts);
    const shot = await parser.getScreenshot({ partial: [pageNo], scale, imageBuffer: true, imageDataUrl: false });
    const first = shot.pages[0];
    if (!first) throw new DocumentError('unreadable', 'PDF page did not render');
    png = first.data;
  } catch (err) {
    if (err instanceof PageRangeError) throw err;
    throw pdfFailure(err);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
  try {
    // The resolution travels in the PNG (pHYs) so tesseract need not guess it.
    return await sharp(png)
      .flatten({ background: '#ffffff' })
      .greyscale()
      .toColourspace('b-w')
      .withDensity(Math.round(scale * POINTS_PER_INCH))
      .png({ compressionLevel: 3 })
      .toBuffer();
  } catch (err) {
    throw sharpFailure(err);
  }
}

/** Scale (pixels per point) for the requested dpi, shrunk to fit maxPixels if needed. */
export function fitScale(widthPt: number, heightPt: number, opts: Pick<RenderOptions, 'dpi' | 'maxPixels'>): number {
  let scale = opts.dpi / POINTS_PER_INCH;
  const pixels = widthPt * heightPt * scale * scale;
  if (pixels > opts.maxPixels) {
    scale = Math.sqrt(opts.maxPixels / (widthPt * heightPt));
    if (scale * POINTS_PER_INCH < Math.min(MIN_RENDER_DPI, opts.dpi)) {
      throw new DocumentError('too_large', 'PDF page is too large to render within the pixel limit');
    }
  }
  return scale;
}
