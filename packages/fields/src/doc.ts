import type { Box, FieldEvidence } from '@triage/contracts';
import type { ExtractInput, OcrWord, PageInput } from './types.ts';
import { clinicMatcher, type ClinicMatcher } from './clinics.ts';
import { prefersDayFirst } from './dates.ts';

/** One text line of one page; offsets are into that page's text. */
export type Line = { no: number; page: number; start: number; end: number; text: string; ocr: boolean; blankBefore: boolean };

export type Doc = {
  pages: PageInput[];
  lines: Line[];
  today: Date;
  clinics: ClinicMatcher;
  /** How an ambiguous numeric date (04/05/1958) reads in this document. */
  dayFirst: boolean;
  /** OCR words of each page sorted by offset (empty for text pages). */
  words: OcrWord[][];
  /**
   * Each page's text as the readers see it: on OCR pages a space across a wide gap between word boxes is a tab,
   * so form columns stay apart as they do in typed text. Same length as the page text: offsets hold.
   */
  texts: string[];
};

/** OCR joins a row's words with single spaces; where the boxes are far apart that space is a column gap. */
function gapped(p: PageInput, words: OcrWord[]): string {
  if (!words.length) return p.text;
  const chars = [...p.text];
  for (let i = 1; i < words.length; i++) {
    const a = words[i - 1]!;
    const b = words[i]!;
    const between = p.text.slice(a.end, b.start);
    if (!/^ +$/.test(between)) continue;
    const cw = (a.box.x1 - a.box.x0) / Math.max(1, a.end - a.start);
    if (b.box.x0 - a.box.x1 > 2.5 * cw && Math.abs(b.box.y0 - a.box.y0) < (a.box.y1 - a.box.y0)) chars[a.end] = '\t';
  }
  return chars.join('');
}

export function buildDoc(input: ExtractInput): Doc {
  const lines: Line[] = [];
  const words = input.pages.map((p) => (p.source === 'ocr' && p.words ? [...p.words].sort((a, b) => a.start - b.start) : []));
  const texts = input.pages.map((p, i) => (p.text.length === [...p.text].length ? gapped(p, words[i]!) : p.text));
  input.pages.forEach((p, page) => {
    const ocr = p.source === 'ocr';
    let start = 0;
    let blank = true;
    for (const raw of texts[page]!.split('\n')) {
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (text.trim()) {
        lines.push({ no: lines.length, page, start, end: start + text.length, text, ocr, blankBefore: blank });
        blank = false;
      } else blank = true;
      start += raw.length + 1;
    }
  });
  const allText = input.pages.map((p) => p.text).join('\n');
  return { pages: input.pages, lines, today: input.today ?? new Date(), clinics: clinicMatcher(input.clinics), dayFirst: prefersDayFirst(allText), words, texts };
}

/** The OCR words under [start, end) of a page. */
export function wordsIn(doc: Doc, page: number, start: number, end: number): OcrWord[] {
  const out: OcrWord[] = [];
  for (const w of doc.words[page] ?? []) {
    if (w.start >= end) break;
    if (w.end > start) out.push(w);
  }
  return out;
}

export function unionBox(boxes: Box[]): Box | undefined {
  if (!boxes.length) return undefined;
  return boxes.reduce((a, b) => ({ x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) }));
}

/** Evidence for a span; on OCR pages it carries the union box of the span's words. */
export function evidence(doc: Doc, page: number, start: number, end: number): FieldEvidence {
  const p = doc.pages[page]!;
  const ev: FieldEvidence = { page: p.pageNo, start, end };
  if (p.source === 'ocr') {
    const box = unionBox(wordsIn(doc, page, start, end).map((w) => w.box));
    if (box) ev.box = box;
  }
  return ev;
}

/** OCR values are a little less sure than typed ones, and less again where the engine doubted the words. */
export function ocrFactor(doc: Doc, page: number, start: number, end: number): number {
  if (doc.pages[page]?.source !== 'ocr') return 1;
  const confs = wordsIn(doc, page, start, end).flatMap((w) => (w.confidence === undefined ? [] : [w.confidence > 1 ? w.confidence / 100 : w.confidence]));
  if (!confs.length) return 0.95;
  const mean = confs.reduce((a, b) => a + b, 0) / confs.length;
  return Math.max(0.6, Math.min(0.96, 0.6 + 0.38 * mean));
}
