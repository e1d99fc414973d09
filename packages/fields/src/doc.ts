import type { Box, FieldEvidence } from '@triage/contracts';
import type { ExtractInput, OcrWord, PageInput } from './types.ts';
import { clinicMatcher, type ClinicMatcher } from './clinics.ts';
import { prefersDayFirst } from './dates.ts';
import { LABEL_LIKE, scanLine } from './label-scan.ts';

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
  const chars = [...unwrapped(p.text, words, p.width)];
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

const STREET_START = /^\s*(?:(?:flat|apt|unit|suite)\s+\w+,?\s+)?\d+[A-Za-z]?,?\s+[A-Z][\w'.-]*(?:\s+[\w'.-]+){0,3}\s+(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|court|ct|close|way|grove|place|pl|crescent|terrace|boulevard|blvd|row|gardens|park|hill|mews|square|walk|parkway|pkwy|circle|cir|highway|hwy)\b/i;

type TextLine = { start: number; end: number; x0: number; x1: number; y0: number; y1: number; first: OcrWord; cw: number; gap: number };

/**
 * A paragraph a PDF writer or a scanned page wrapped at the right margin is one line again: where a line runs to
 * the margin, the next starts at its left edge right below it, and the next line's first word would not have fit,
 * the line break is a soft wrap and becomes a space (same length: offsets hold). This is what lets "NHS No. 999 786"
 * / "0810" or "Organization:" / "Riverside Medical Group" read as the one value they are. Pages without word boxes
 * (text uploads, PDFs read in content order) are left as they are.
 */
export function unwrapped(text: string, words: OcrWord[], width?: number): string {
  if (words.length < 2) return text;
  const lines: TextLine[] = [];
  let k = 0;
  let start = 0;
  for (const raw of text.split('\n')) {
    const end = start + raw.length;
    const mine: OcrWord[] = [];
    while (k < words.length && words[k]!.start < end) {
      if (words[k]!.end > start) mine.push(words[k]!);
      k++;
    }
    if (mine.length) {
      const chars = mine.reduce((n, w) => n + (w.end - w.start), 0);
      const x0 = Math.min(...mine.map((w) => w.box.x0));
      const x1 = Math.max(...mine.map((w) => w.box.x1));
      const ink = mine.reduce((n, w) => n + (w.box.x1 - w.box.x0), 0);
      let gap = 0;
      for (let j = 1; j < mine.length; j++) gap = Math.max(gap, mine[j]!.box.x0 - mine[j - 1]!.box.x1);
      lines.push({ start, end, x0, x1, y0: Math.min(...mine.map((w) => w.box.y0)), y1: Math.max(...mine.map((w) => w.box.y1)), first: mine[0]!, cw: ink / Math.max(1, chars), gap });
    } else lines.push({ start, end, x0: NaN, x1: NaN, y0: NaN, y1: NaN, first: words[0]!, cw: 0, gap: 0 });
    start = end + 1;
  }
  const boxed = lines.filter((l) => Number.isFinite(l.x0));
  if (boxed.length < 2) return text;
  const left = Math.min(...boxed.map((l) => l.x0));
  const widest = Math.max(...boxed.map((l) => l.x1));
  // The right margin is where the widest lines end; without several lines that reach it there is no margin
  // to wrap at (a form of short lines), and nothing is joined.
  const cw0 = boxed.reduce((n, l) => n + l.cw, 0) / boxed.length || 1;
  const right = Math.min(widest, width ?? Infinity);
  if (boxed.filter((l) => l.x1 >= right - 8 * cw0).length < 3) return text;
  const out = [...text];
  for (let i = 0; i + 1 < lines.length; i++) {
    const a = lines[i]!;
    const b = lines[i + 1]!;
    if (!Number.isFinite(a.x0) || !Number.isFinite(b.x0) || b.start !== a.end + 1) continue;
    const h = a.y1 - a.y0;
    const hb = b.y1 - b.y0;
    const cw = a.cw || 1;
    if (h <= 0 || hb <= 0 || hb > 1.4 * h || h > 1.4 * hb) continue;
    // Right below (no blank line), at the same left edge, and the line above runs to the margin.
    if (b.y0 - a.y1 > 0.9 * h || b.y0 < a.y0 + 0.5 * h || Math.abs(b.x0 - a.x0) > 1.5 * cw) continue;
    if (a.x1 - left < 0.6 * (right - left)) continue;
    // A row of form cells (a column gap in either line) is a grid, not a paragraph.
    if (a.gap > 2.5 * cw || b.gap > 2.5 * cw) continue;
    const firstWidth = b.first.box.x1 - b.first.box.x0;
    if (a.x1 + cw + firstWidth <= right - 0.5 * cw) continue;
    const next = text.slice(b.start, b.end);
    // A street address starts its own line.
    if (STREET_START.test(next)) continue;
    // A line that starts with a label ("Telephone: ...") is a new field, unless the label began on the line above
    // ("... | Policy" / "Number: XZ99...").
    if (LABEL_LIKE.test(next)) {
      const tail = text.slice(Math.max(a.start, a.end - 30), a.end);
      const joined = `${tail} ${next.slice(0, 40)}`;
      if (!scanLine(joined, false).some((sg) => sg.labelStart < tail.length && sg.labelEnd > tail.length)) continue;
    }
    out[a.end] = ' ';
  }
  return out.join('');
}

export function buildDoc(input: ExtractInput): Doc {
  const lines: Line[] = [];
  // OCR pages, and text-layer pages read by position, come with word boxes.
  const words = input.pages.map((p) => (p.words?.length && p.source !== 'plain' ? [...p.words].sort((a, b) => a.start - b.start) : []));
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
  // A form's own values say how its dates are written as much as its printed text does.
  const allText = [...input.pages.map((p) => p.text), ...(input.acroform ?? []).flatMap((f) => (f.value ? [f.value] : []))].join('\n');
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

/** Evidence for a span; on pages with word boxes (OCR, positional PDF text) it carries the union box of the span's words. */
export function evidence(doc: Doc, page: number, start: number, end: number): FieldEvidence {
  const p = doc.pages[page]!;
  const ev: FieldEvidence = { page: p.pageNo, start, end };
  if (doc.words[page]?.length) {
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
  // Measured on 200-dpi faxes: words the engine is sure of are right about as often as typed text is read right.
  return Math.max(0.6, Math.min(0.98, 0.66 + 0.34 * mean));
}
