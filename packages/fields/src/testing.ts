// Shared by the tests: the policy's clinic table and made-up OCR pages with word boxes.
import { readFileSync } from 'node:fs';
import type { ClinicTable, OcrWord, PageInput } from './types.ts';

export const CLINICS: ClinicTable = JSON.parse(readFileSync(new URL('../../../policy/routing-policy.json', import.meta.url), 'utf8')).clinics;
export const TODAY = new Date('2024-06-01T12:00:00Z');

/**
 * An OCR page as Tesseract would give it: each row's cells joined by spaces into a line, every word boxed.
 * A cell is [text, x]; words are 12 px per character, rows 40 px apart.
 */
export function ocrPage(rows: [string, number][][], pageNo = 1, confidence?: number): PageInput {
  let text = '';
  const words: OcrWord[] = [];
  rows.forEach((cells, r) => {
    if (text) text += '\n';
    cells.forEach(([cell, x], c) => {
      if (c > 0) text += ' ';
      for (const m of cell.matchAll(/\S+/g)) {
        const start = text.length + m.index;
        const wx = x + m.index * 12;
        words.push({ start, end: start + m[0].length, box: { x0: wx, y0: 100 + r * 40, x1: wx + m[0].length * 12, y1: 100 + r * 40 + 24 }, ...(confidence !== undefined && { confidence }) });
      }
      text += cell;
    });
  });
  return { pageNo, text, source: 'ocr', words };
}

export const plain = (text: string, pageNo = 1): PageInput => ({ pageNo, text, source: 'plain' });
