import sharp from 'sharp';
import { DocumentError, errorName, PageRangeError } from './errors.ts';
import { readTiffPageSizes, readTiffResolutions } from './tiff.ts';
import type { DocumentKind, ExtractedPage, ExtractLimits, RenderOptions } from './types.ts';

type ImageKind = Extract<DocumentKind, 'png' | 'jpeg' | 'tiff'>;

// Resolutions outside this range are placeholders (72 "dpi" camera JPEGs) or nonsense.
const PLAUSIBLE_DPI = { min: 50, max: 1200 };
const MAX_UPSCALE = 4;

export function isImageKind(kind: DocumentKind): kind is ImageKind {
  return kind === 'png' || kind === 'jpeg' || kind === 'tiff';
}

export function sharpFailure(err: unknown): Error {
  if (err instanceof DocumentError) return err;
  const message = err instanceof Error ? err.message : '';
  if (/pixel limit/i.test(message)) return new DocumentError('too_large', 'image exceeds the pixel limit');
  if (/timeout/i.test(message)) return new DocumentError('timeout', 'image processing timed out');
  return new DocumentError('unreadable', `image could not be decoded (${errorName(err)})`);
}

function timeoutSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * Every image page needs OCR; a multi-page TIFF gives one page per directory. Page count and pixel limits
 * are checked from headers alone, so a pixel flood or a TIFF bomb is refused before anything is decoded.
 */
export async function extractImagePages(
  bytes: Uint8Array,
  kind: ImageKind,
  limits: Pick<ExtractLimits, 'maxPages' | 'timeoutMs' | 'maxPagePixels' | 'maxDocumentPixels'>,
): Promise<ExtractedPage[]> {
  let pageCount: number;
  try {
    // Headers only: a damaged page body surfaces as 'unreadable' when that page is rendered.
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    pageCount = meta.pages ?? 1;
    if (pageCount > limits.maxPages) {
      throw new DocumentError('too_many_pages', `image has ${pageCount} pages, limit is ${limits.maxPages}`);
    }
    if (!meta.width || !meta.height) throw new DocumentError('unreadable', 'image has no dimensions');
    // sharp describes the first page only; a TIFF's other directories can each declare their own size.
    const sizes = kind === 'tiff' ? (readTiffPageSizes(bytes) ?? []) : [];
    const perPage = sizes.length ? sizes.map((s) => (s ? s.width * s.height : 0)) : [meta.width * (meta.pageHeight ?? meta.height)];
    const largest = Math.max(...perPage);
    if (largest > limits.maxPagePixels) {
      throw new DocumentError('too_large', `image page has ${largest} pixels, limit is ${limits.maxPagePixels}`);
    }
    const total = sizes.length ? perPage.reduce((a, b) => a + b, 0) : largest * pageCount;
    if (total > limits.maxDocumentPixels) {
      throw new DocumentError('too_large', `image has ${total} pixels in all, limit is ${limits.maxDocumentPixels}`);
    }
  } catch (err) {
    throw sharpFailure(err);
  }
  return Array.from({ length: pageCount }, (_, i) => ({ pageNo: i + 1, text: '', source: 'needs-ocr' as const }));
}

/** One image page as a grayscale PNG, resampled toward `dpi` when the file states its resolution. */
export async function renderImagePage(bytes: Uint8Array, kind: ImageKind, pageNo: number, opts: RenderOptions): Promise<Buffer> {
  try {
    const input = { page: pageNo - 1, limitInputPixels: opts.maxPixels, failOn: 'error' as const };
    const meta = await sharp(bytes, input).metadata();
    const pages = meta.pages ?? 1;
    if (pageNo < 1 || pageNo > pages) throw new PageRangeError(pageNo, pages);
    // EXIF orientation swaps width and height for phone photos.
    const width = meta.autoOrient?.width ?? meta.width ?? 0;
    const height = meta.autoOrient?.height ?? meta.height ?? 0;
    const { sx, sy, dpi } = resampleFactors(bytes, kind, pageNo, meta.density, opts.dpi);
    let outW = Math.round(width * sx);
    let outH = Math.round(height * sy);
    if (outW * outH > opts.maxPixels) {
      const shrink = Math.sqrt(opts.maxPixels / (outW * outH));
      outW = Math.floor(outW * shrink);
      outH = Math.floor(outH * shrink);
    }
    let img = sharp(bytes, input).timeout({ seconds: timeoutSeconds(opts.timeoutMs) }).rotate();
    if (outW !== width || outH !== height) img = img.resize(outW, outH, { fit: 'fill', kernel: 'lanczos3' });
    img = img.flatten({ background: '#ffffff' }).greyscale().toColourspace('b-w');
    if (dpi !== undefined) img = img.withDensity(Math.round(dpi * Math.min(outW / (width * sx), 1)));
    return await img.png({ compressionLevel: 3 }).toBuffer();
  } catch (err) {
    if (err instanceof PageRangeError) throw err;
    throw sharpFailure(err);
  }
}

function plausible(dpi: number | undefined): dpi is number {
  return dpi !== undefined && Number.isFinite(dpi) && dpi >= PLAUSIBLE_DPI.min && dpi <= PLAUSIBLE_DPI.max;
}

function resampleFactors(bytes: Uint8Array, kind: ImageKind, pageNo: number, density: number | undefined, dpi: number) {
  let xDpi: number | undefined;
  let yDpi: number | undefined;
  if (kind === 'tiff') {
    const res = readTiffResolutions(bytes)?.[pageNo - 1] ?? null;
    xDpi = res?.xDpi;
    yDpi = res?.yDpi;
  } else if (density !== undefined && density !== 72 && density !== 96) {
    // 72/96 are software defaults, not scan resolutions
    xDpi = yDpi = density;
  }
  if (!plausible(xDpi) || !plausible(yDpi)) return { sx: 1, sy: 1, dpi: undefined };
  const sx = Math.min(MAX_UPSCALE, dpi / xDpi);
  return { sx, sy: Math.min(MAX_UPSCALE, dpi / yDpi), dpi: xDpi * sx };
}
