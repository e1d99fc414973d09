import { DocumentError } from './errors.ts';
import { openPdf, pdfFailure, pdfPageCount } from './pdf.ts';
import { assertNoFlateBomb } from './pdf-bomb.ts';
import { isUsableText, normalizeText } from './text.ts';
import type { ExtractedPage, ExtractLimits, PageTextLayout, TextWordBox } from './types.ts';

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
    const placed = await positionalPages(parser, total);
    const rest = Array.from({ length: total }, (_, i) => i + 1).filter((n) => !placed.has(n));
    const result = rest.length ? await parser.getText({ pageJoiner: '', partial: rest }) : { pages: [] };
    const byNum = new Map(result.pages.map((p) => [p.num, p.text]));
    const pages: ExtractedPage[] = [];
    for (let pageNo = 1; pageNo <= total; pageNo++) {
      const built = placed.get(pageNo);
      const text = built ? built.text : normalizeText(byNum.get(pageNo) ?? '');
      pages.push(
        isUsableText(text, limits.minTextChars)
          ? { pageNo, text, source: 'text-layer', ...(built && { layout: built.layout }) }
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

type PdfPageProxy = {
  view: number[];
  rotate: number;
  getTextContent(opts?: object): Promise<{ items: unknown[] }>;
  cleanup(): unknown;
};
type PdfDocumentProxy = { numPages: number; getPage(n: number): Promise<PdfPageProxy> };

/** pdf-parse's loaded pdf.js document (its `load` is private API): undefined if this version has none. */
async function pdfDocument(parser: Awaited<ReturnType<typeof openPdf>>): Promise<PdfDocumentProxy | undefined> {
  const load = (parser as unknown as { load?: () => Promise<PdfDocumentProxy> }).load;
  return typeof load === 'function' ? load.call(parser) : undefined;
}

/**
 * Pages whose text is read by position (see `layoutText`). A rotated page, one whose text runs any way but
 * left to right, or one whose rebuilt text would not survive `normalizeText` unchanged is left out: the caller
 * reads it in content order as before, without a layout.
 */
async function positionalPages(parser: Awaited<ReturnType<typeof openPdf>>, total: number): Promise<Map<number, { text: string; layout: PageTextLayout }>> {
  const out = new Map<number, { text: string; layout: PageTextLayout }>();
  const doc = await pdfDocument(parser);
  if (!doc) return out;
  for (let n = 1; n <= total; n++) {
    const page = await doc.getPage(n);
    try {
      const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view ?? [];
      const box = { width: x1 - x0, height: y1 - y0, offsetX: x0, offsetY: y0 };
      if ((page.rotate ?? 0) % 360 !== 0 || box.width <= 0 || box.height <= 0) continue;
      const content = await page.getTextContent();
      const items = content.items.filter((i): i is PdfTextItem => typeof (i as PdfTextItem).str === 'string');
      const placed = placeItems(items, box);
      if (!placed?.length) continue;
      const built = layoutText(placed, box);
      if (normalizeText(built.text) === built.text) out.set(n, built);
    } finally {
      page.cleanup();
    }
  }
  return out;
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

// A born-digital page's text rebuilt from where pdf.js says each piece of text stands, the way an OCR page is
// read from its word boxes: rows top to bottom, pieces left to right within a row, a column gap kept as spaces,
// a blank line where the page leaves one, and each word's box (offsets into the text, never the words).

/** A pdf.js text item, already in page coordinates (points, y grows downwards, `y` is the baseline). */
export type PlacedText = { str: string; x: number; y: number; width: number; size: number };

/** pdf.js TextItem: enough of it to place the text. */
export type PdfTextItem = { str: string; transform: number[]; width: number; height: number };

/** Points to spaces: Helvetica-like fonts average about half an em a character. */
const CHAR_EM = 0.5;

/**
 * Items on an unrotated page to placed text; undefined when the page's text is not (mostly) horizontal, which the
 * caller then reads in content order as before.
 */
export function placeItems(items: PdfTextItem[], page: { width: number; height: number; offsetX?: number; offsetY?: number }): PlacedText[] | undefined {
  const out: PlacedText[] = [];
  let chars = 0;
  let skew = 0;
  for (const it of items) {
    if (!it.str || !it.transform || it.transform.length < 6) continue;
    const [a, b, c, d, e, f] = it.transform as [number, number, number, number, number, number];
    const n = it.str.trim().length;
    chars += n;
    if (Math.abs(b) > 1e-3 * Math.abs(a) || Math.abs(c) > 1e-3 * Math.abs(d) || a <= 0 || d <= 0) {
      skew += n;
      continue;
    }
    if (!n) continue;
    const size = Math.max(1, it.height || Math.hypot(c, d));
    out.push({ str: it.str, x: e - (page.offsetX ?? 0), y: page.height - (f - (page.offsetY ?? 0)), width: Math.max(0, it.width), size });
  }
  if (!chars || skew > 0.1 * chars) return undefined;
  return out;
}

type Row = { items: PlacedText[]; y: number; size: number };

function rowsOf(placed: PlacedText[]): Row[] {
  const sorted = [...placed].sort((p, q) => p.y - q.y || p.x - q.x);
  const rows: Row[] = [];
  for (const p of sorted) {
    const row = rows[rows.length - 1];
    // Same baseline within a third of the text height: one row (a superscript or a field nudged a point stays on it).
    if (row && Math.abs(p.y - row.y) <= 0.35 * Math.min(row.size, p.size)) {
      row.items.push(p);
      row.size = Math.max(row.size, p.size);
    } else rows.push({ items: [p], y: p.y, size: p.size });
  }
  for (const r of rows) r.items.sort((p, q) => p.x - q.x);
  return rows;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(q * (s.length - 1))]! : 0;
};
const median = (xs: number[]) => quantile(xs, 0.5);

/**
 * The page text and its word boxes. Pieces on one row closer than about a character are joined by one space (or
 * none when they touch); wider gaps become as many spaces as characters would fill them (at least two, which the
 * field readers take for a column gap). A row indented from the page's left edge keeps its indent as spaces. Text
 * has no trailing spaces, no run of more than one blank line, and no leading or trailing blank: the shape
 * `normalizeText` gives, so offsets hold.
 */
export function layoutText(placed: PlacedText[], page: { width: number; height: number }): { text: string; layout: PageTextLayout } {
  const rows = rowsOf(placed);
  const charW = Math.max(1, median(placed.map((p) => (p.str.length ? p.width / p.str.length : p.size * CHAR_EM))) || 1);
  const left = Math.min(...placed.map((p) => p.x));
  // The usual line pitch: the lower quartile of row-to-row steps (blank lines and gaps only ever add to it).
  const size = median(rows.map((r) => r.size));
  const steps = rows.slice(1).map((r, i) => r.y - rows[i]!.y).filter((d) => d > 0);
  // Text is set at 1.1-1.3 times its size; with few rows the quartile may itself be a blank line's step.
  const pitch = Math.min(quantile(steps, 0.25) || 1.2 * size, 1.4 * size);
  const words: TextWordBox[] = [];
  let text = '';
  let prevY: number | undefined;
  for (const row of rows) {
    let line = '';
    if (prevY !== undefined) {
      const gap = row.y - prevY;
      // A row further below its neighbour than the usual line pitch leaves a blank line, as a typed letter does.
      line = gap > 1.6 * Math.max(pitch, row.size) ? '\n\n' : '\n';
    }
    let lineText = '';
    const indent = Math.round((row.items[0]!.x - left) / charW);
    if (indent >= 2) lineText = ' '.repeat(Math.min(indent, 80));
    let end: number | undefined;
    const lineStart = text.length + line.length;
    for (const p of row.items) {
      const str = p.str.replace(/[\r\n\t\u0000-\u001f]/g, ' ');
      if (end !== undefined) {
        const gap = p.x - end;
        const cw = Math.max(charW * 0.5, p.width / Math.max(1, str.length));
        if (gap > 1.6 * cw) lineText = lineText.replace(/ +$/, '') + ' '.repeat(Math.max(2, Math.min(120, Math.round(gap / cw))));
        else if (gap > 0.15 * cw && !/\s$/.test(lineText) && !/^\s/.test(str)) lineText += ' ';
      }
      const at = lineStart + lineText.length;
      const per = str.length ? p.width / str.length : 0;
      for (const m of str.matchAll(/\S+/g)) {
        const x0 = p.x + m.index * per;
        words.push({
          start: at + m.index,
          end: at + m.index + m[0].length,
          box: { x0: round(x0), y0: round(p.y - 0.8 * p.size), x1: round(x0 + m[0].length * per), y1: round(p.y + 0.22 * p.size) },
        });
      }
      lineText += str;
      end = p.x + p.width;
    }
    lineText = lineText.replace(/\s+$/, '');
    if (!lineText) continue;
    text += line + lineText;
    prevY = row.y;
  }
  // A first row indented from the left edge: `normalizeText` would trim its indent, so it is dropped here.
  const lead = text.length - text.trimStart().length;
  const kept = lead ? words.map((w) => ({ ...w, start: w.start - lead, end: w.end - lead })) : words;
  return { text: text.slice(lead), layout: { imageWidth: round(page.width), imageHeight: round(page.height), dpi: 72, words: kept.filter((w) => w.start >= 0) } };
}

const round = (v: number) => Math.round(v * 100) / 100;
