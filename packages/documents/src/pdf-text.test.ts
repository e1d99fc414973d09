import { describe, expect, it } from 'vitest';
import { extractInProcess } from './extract.ts';
import { makeBornDigitalPdf } from './fixtures.ts';
import { layoutText, placeItems } from './pdf-text.ts';
import type { ExtractLimits } from './types.ts';

const limits: ExtractLimits = { maxPages: 10, minTextChars: 10, timeoutMs: 10_000, maxMemoryMb: 512, maxPagePixels: 1e8, maxDocumentPixels: 1e9, maxTextChars: 1e6, renderDpi: 200 };

/** A two-column form drawn column by column (all labels, then all values), as many form writers emit them. */
async function twoColumnPdf(): Promise<Buffer> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  const at = (s: string, x: number, y: number) => page.drawText(s, { x, y, size: 11, font });
  at('REFERRAL FORM', 72, 720);
  // left column: labels then values; right column the same, drawn afterwards
  at('Patient name:', 72, 690);
  at('Date of birth:', 72, 676);
  at('Quillon Ashdown', 160, 690);
  at('03/17/1958', 160, 676);
  at('Referred to:', 330, 690);
  at('Priority:', 330, 676);
  at('Cardiology', 410, 690);
  at('Urgent', 410, 676);
  at('Reason for referral: exertional chest pain', 72, 640);
  return Buffer.from(await doc.save());
}

describe('born-digital pages read by position', () => {
  it('puts a two-column page in reading order, keeps the column gap and the blank line, and boxes every word', async () => {
    const [page] = await extractInProcess(await twoColumnPdf(), 'pdf', limits);
    expect(page!.source).toBe('text-layer');
    const lines = page!.text.split('\n');
    expect(lines[0]).toBe('REFERRAL FORM');
    expect(lines[1]).toBe(''); // 30 pt below: a blank line
    expect(lines[2]).toMatch(/^Patient name: +Quillon Ashdown {2,}Referred to: +Cardiology$/);
    expect(lines[3]).toMatch(/^Date of birth: +03\/17\/1958 {2,}Priority: +Urgent$/);
    expect(lines[4]).toBe('');
    expect(lines[5]).toBe('Reason for referral: exertional chest pain');
    // Offsets and boxes only: each word box points at a word of the text, left to right within its row.
    const layout = page!.layout!;
    expect(layout).toMatchObject({ imageWidth: 612, imageHeight: 792, dpi: 72 });
    expect(Object.keys(layout.words[0]!).sort()).toEqual(['box', 'end', 'start']);
    const word = (w: string) => layout.words.find((x) => page!.text.slice(x.start, x.end) === w)!;
    expect(layout.words.every((w) => /^\S+$/.test(page!.text.slice(w.start, w.end)))).toBe(true);
    expect(word('Quillon').box.x0).toBeCloseTo(160, 0);
    expect(word('Cardiology').box.x0).toBeCloseTo(410, 0);
    expect(word('Quillon').box.y0).toBeLessThan(word('03/17/1958').box.y0);
  });

  it('reads a plain typed letter as before', async () => {
    const text = 'Dear Dr Rowe,\n\nPlease see Mrs Ashdown, who has angina on exertion.\nYours sincerely,';
    const [page] = await extractInProcess(await makeBornDigitalPdf([text]), 'pdf', limits);
    expect(page!.text).toBe(text);
    expect(page!.layout!.words.length).toBe(text.split(/\s+/).length);
  });

  it('leaves rotated text to the content-order reader', () => {
    expect(placeItems([{ str: 'Sideways text', transform: [0, 11, -11, 0, 100, 100], width: 60, height: 11 }], { width: 612, height: 792 })).toBeUndefined();
    const placed = placeItems([{ str: 'Upright', transform: [11, 0, 0, 11, 72, 700], width: 40, height: 11 }], { width: 612, height: 792 })!;
    expect(layoutText(placed, { width: 612, height: 792 }).text).toBe('Upright');
  });
});
