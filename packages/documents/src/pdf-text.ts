import { DocumentError } from './errors.ts';
import { openPdf, pdfFailure, pdfPageCount } from './pdf.ts';
import { assertNoFlateBomb } from './pdf-bomb.ts';
import { isUsableText, normalizeText } from './text.ts';
import type { ExtractedPage, ExtractLimits } from './types.ts';

/**
 * Per-page text layer of a PDF. Pages whose layer is (nearly) empty or unreadable glyph
 * soup come back as 'needs-ocr' so one document can mix typed and scanned pages.
 */
export async function extractPdfPages(bytes: Uint8Array, limits: Pick<ExtractLimits, 'maxPages' | 'minTextChars'>): Promise<ExtractedPage[]> {
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
    return pages;
  } catch (err) {
    throw pdfFailure(err);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}
