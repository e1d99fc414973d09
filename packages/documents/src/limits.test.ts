import { afterAll, describe, expect, it } from 'vitest';
import { buildPdf, pixelFloodPng, tiffWithIfds } from './hostile-corpus.ts';
import { closeDocumentWorkers, extractPages } from './isolate.ts';
import type { ExtractLimits } from './types.ts';

const limits: ExtractLimits = { maxPages: 20, minTextChars: 20, timeoutMs: 20_000, maxMemoryMb: 256, maxPagePixels: 10_000_000, maxDocumentPixels: 50_000_000, renderDpi: 200, maxTextChars: 1000 };
afterAll(() => closeDocumentWorkers());

const blankPages = (n: number, box: string) =>
  buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${Array.from({ length: n }, (_, i) => `${i + 3} 0 R`).join(' ')}] /Count ${n} >>`,
    ...Array.from({ length: n }, () => `<< /Type /Page /Parent 2 0 R /MediaBox ${box} >>`),
  ]);

describe('document limits, checked before decoding', () => {
  it('a page over the pixel limit is too_large from its header alone', async () => {
    await expect(extractPages(pixelFloodPng(100_000, 100_000), 'png', limits)).rejects.toMatchObject({ reason: 'too_large' });
    await expect(extractPages(tiffWithIfds([{ width: 4000, height: 4000 }]), 'tiff', limits)).rejects.toMatchObject({ reason: 'too_large' });
  });

  it('pages each within the limit but too many pixels together are too_large; a small one passes', async () => {
    const pages = Array.from({ length: 10 }, () => ({ width: 3000, height: 3000 })); // 9 MP each, 90 MP in all
    await expect(extractPages(tiffWithIfds(pages), 'tiff', limits)).rejects.toMatchObject({ reason: 'too_large' });
    await expect(extractPages(tiffWithIfds(pages.slice(0, 3)), 'tiff', limits)).resolves.toHaveLength(3);
  });

  it('a document yielding more text than the limit is too_large', async () => {
    await expect(extractPages(Buffer.from('word '.repeat(201)), 'text', limits)).rejects.toMatchObject({ reason: 'too_large' });
    await expect(extractPages(Buffer.from('word '.repeat(199)), 'text', limits)).resolves.toHaveLength(1);
  });

  it('prices the PDF pages that need OCR at the render resolution', async () => {
    // Letter at 200 dpi is 3.74 MP: 13 pages are 48.6 MP (allowed), 14 are 52.4 MP (not).
    await expect(extractPages(blankPages(13, '[0 0 612 792]'), 'pdf', limits)).resolves.toHaveLength(13);
    await expect(extractPages(blankPages(14, '[0 0 612 792]'), 'pdf', limits)).rejects.toMatchObject({ reason: 'too_large' });
  });
});
