import { DocumentError } from './errors.ts';
import { openPdf, pdfFailure, pdfPageCount } from './pdf.ts';
import { assertNoFlateBomb } from './pdf-bomb.ts';
import { isUsableText, normalizeText } from './text.ts';
import type { ExtractedPage, ExtractLimits } from './types.ts';

/**
 * Per-page text layer of a PDF. Pages whose layer is (nearly) empty or unreadable glyph
 * soup come back as 'needs-ocr' so one document can mix typed and scanned pages.
 */
export async function extractPdfPages(
  bytes: Uint8Array,
  limits: Pick<ExtractLimits, 'maxPages' | 'minTextChars' | 'maxPagePixels' | 'maxDocumentPixels' | 'renderDpi'>,
): Promise<ExtractedPage[]> {
  await assertNoFlateBomb(bytes);
  const parser = await openPdf(bytes);
  try {
    const total = await pdfPageCount(parser);
    if (total < 1) throw new DocumentError('unreadable', 'PDF has no pages');
    if (total > limits.maxPages) throw new DocumentError('too_many_pages', `PDF has ${total} pages, limit is ${limits.maxPages}`);
    const result = await parser.getText({ pageJoiner: '' });
    const byNum = new Map(result.pages.map((p) => [p.num, p.text]));
    const pages: ExtractedPage[] = [];
    for (let pageNo = 1; pageNo <= total; pageNo++) {
      const text = normalizeText(byNum.get(pageNo) ?? '');
      pages.push(
        isUsableText(text, limits.minTextChars)
          ? { pageNo, text, source: 'text-layer' }
          : { pageNo, text: '', source: 'needs-ocr' },
      );
    }
    const ocrPages = pages.filter((p) => p.source === 'needs-ocr').map((p) => p.pageNo);
    if (ocrPages.length) await assertOcrPixelBudget(parser, ocrPages, limits);
    return pages;
  } catch (err) {
    throw pdfFailure(err);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

/** Prices the pages OCR will render (each capped at the per-page limit) and refuses the document if they add up too far. */
async function assertOcrPixelBudget(
  parser: Awaited<ReturnType<typeof openPdf>>,
  pageNos: number[],
  limits: Pick<ExtractLimits, 'maxPagePixels' | 'maxDocumentPixels' | 'renderDpi'>,
): Promise<void> {
  const info = await parser.getInfo({ parsePageInfo: true, partial: pageNos });
  const scale = limits.renderDpi / 72;
  let total = 0;
  for (const p of info.pages) {
    const px = p.width > 0 && p.height > 0 ? p.width * p.height * scale * scale : 0;
    total += Math.min(px, limits.maxPagePixels);
  }
  if (total > limits.maxDocumentPixels) {
    throw new DocumentError('too_large', `pages needing OCR add up to ${Math.round(total)} pixels, limit is ${limits.maxDocumentPixels}`);
  }
}
