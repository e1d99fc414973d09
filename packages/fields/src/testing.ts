// Shared by the tests: the policy's clinic table and made-up OCR pages with word boxes.
import { readFileSync } from 'node:fs';
import { referralFields } from '@triage/contracts';
import type { ClinicTable, ExtractInput, ExtractResult, OcrWord, PageInput } from './types.ts';

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

/**
 * An OCR page from laid-out text: each word boxed at its column (12 px a character) and line (40 px). With
 * `joined`, the page text is each line's words joined by single spaces, as Tesseract writes it.
 */
export function ocrText(laidOut: string, pageNo = 1, confidence?: number, joined = false): PageInput {
  const words: OcrWord[] = [];
  let text = '';
  let offset = 0;
  laidOut.split('\n').forEach((line, y) => {
    if (y > 0) text += '\n';
    for (const m of line.matchAll(/\S+/g)) {
      if (joined && text.length > 0 && !text.endsWith('\n')) text += ' ';
      const start = joined ? text.length : offset + m.index;
      if (joined) text += m[0];
      const box = { x0: 50 + m.index * 12, y0: 100 + y * 40, x1: 50 + (m.index + m[0].length) * 12, y1: 124 + y * 40 };
      words.push({ start, end: start + m[0].length, box, ...(confidence !== undefined && { confidence }) });
    }
    if (!joined) text += line;
    offset += line.length + 1;
  });
  return { pageNo, text, source: 'ocr', words };
}

export const plain = (text: string, pageNo = 1): PageInput => ({ pageNo, text, source: 'plain' });

const norm = (s: string, ocr: boolean) => {
  const t = s.toLowerCase().replace(/\s+/g, ' ').trim();
  return ocr ? t.replace(/0/g, 'o').replace(/[1|]/g, 'l').replace(/5/g, 's') : t;
};
const TEXT_VALUED = new Set(['patientName', 'mrn', 'patientPhone', 'patientAddress', 'insurancePayer', 'insuranceMemberId', 'referrerName', 'referrerNpi', 'referrerOrganization', 'referrerPhone', 'referrerFax', 'reason']);

/**
 * What is wrong with a result's shape: not the contract's schema, evidence off its page, an OCR evidence with
 * no box, or a text value whose words are not in its evidence. Empty when all is well.
 */
export function problems(r: ExtractResult, input: Pick<ExtractInput, 'pages'>): string[] {
  const out: string[] = [];
  const parsed = referralFields.safeParse(r.fields);
  if (!parsed.success) out.push(...parsed.error.issues.map((i) => `schema ${i.path.join('.')}: ${i.message}`));
  for (const [k, f] of Object.entries(r.fields)) {
    if (f.confidence < 0 || f.confidence > 1) out.push(`${k}: confidence ${f.confidence}`);
    if (f.conflicts?.length && f.confidence > 0.5) out.push(`${k}: conflict at confidence ${f.confidence}`);
    const slices: string[] = [];
    let ocr = false;
    for (const e of f.evidence) {
      const page = input.pages.find((p) => p.pageNo === e.page);
      if (!page || e.start > e.end || e.end > page.text.length) {
        out.push(`${k}: evidence ${JSON.stringify(e)} is off its page`);
        continue;
      }
      ocr ||= page.source === 'ocr';
      if (page.source === 'ocr' && !e.box) out.push(`${k}: OCR evidence without a box`);
      slices.push(norm(page.text.slice(e.start, e.end), page.source === 'ocr'));
    }
    const value = k === 'referredTo' ? (f.value as { raw: string }).raw : f.value;
    if (f.source !== 'acroform' && (TEXT_VALUED.has(k) || k === 'referredTo') && typeof value === 'string') {
      const hay = slices.join(' ');
      const missing = norm(value, ocr).split(/[\s,]+/).filter((w) => w && !hay.includes(w));
      if (missing.length) out.push(`${k}: ${JSON.stringify(value)} not in its evidence (${missing.join(' ')})`);
    }
  }
  return out;
}
