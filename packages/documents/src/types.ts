export type DocumentKind = 'pdf' | 'png' | 'jpeg' | 'tiff' | 'text';

export type ExtractLimits = {
  maxPages: number;
  /** A PDF page with fewer non-space characters than this is treated as scanned. */
  minTextChars: number;
  timeoutMs: number;
  maxMemoryMb: number;
  /** Pixels one image page may have (checked from headers, before anything is decoded). */
  maxPagePixels: number;
  /** Pixels all of a document's pages may add up to (image pages, and PDF pages as rendered for OCR). */
  maxDocumentPixels: number;
  /** Characters of text a document may yield (a letter is kilobytes; megabytes stall classification). */
  maxTextChars: number;
  /** Resolution PDF pages are rendered at for OCR, to price the pages that need it before any is rendered. */
  renderDpi: number;
};

/** Where one word of a page's text stands: `text.slice(start, end)`, its box in `dpi` units, y downwards. */
export type TextWordBox = { start: number; end: number; box: { x0: number; y0: number; x1: number; y1: number } };

/**
 * A text-layer page's word positions (the shape of the stored `pages.layout`): offsets and boxes only, never
 * the words themselves. PDF pages are measured in points (72 dpi).
 */
export type PageTextLayout = { imageWidth: number; imageHeight: number; dpi: number; words: TextWordBox[] };

export type ExtractedPage = {
  pageNo: number;
  text: string;
  source: 'text-layer' | 'plain' | 'needs-ocr';
  /** Text-layer pages read by position: each word's box, so a reader can tell which value sits under which label. */
  layout?: PageTextLayout;
};

export type RenderOptions = {
  dpi: number;
  timeoutMs: number;
  maxMemoryMb: number;
  maxPixels: number;
};

/** A word box in pixels; y grows downwards. */
export type OcrBox = { x0: number; y0: number; x1: number; y1: number };

/** One recognised word: `text.slice(start, end)` of its OcrResult, and where it stands on the upright page. */
export type OcrWord = { start: number; end: number; box: OcrBox; confidence: number };

export type OcrResult = {
  text: string;
  /** Mean word confidence, 0..100. */
  confidence: number;
  /** Clockwise degrees the page was turned to make it upright. */
  rotation: 0 | 90 | 180 | 270;
  engine: string;
  /** In reading order; boxes are on the upright image (the input turned `rotation` clockwise). */
  words: OcrWord[];
  /** Size of that upright image (the input's, with width and height swapped for 90 and 270). */
  imageWidth: number;
  imageHeight: number;
};

export type OcrEngine = {
  name: string;
  recognize(png: Buffer): Promise<OcrResult>;
  close(): Promise<void>;
};

/** One AcroForm field as the PDF holds it: the one definition is in @triage/contracts. */
export type { AcroField } from '@triage/contracts';

/** ExtractLimits fit as they are; the caps have defaults (2000 fields, 10 000 characters a value, 1 000 000 in all). */
export type AcroFormLimits = {
  timeoutMs: number;
  maxMemoryMb: number;
  /** Fields returned at most; the rest are left off. */
  maxFields?: number;
  /** Characters kept of each name, value and option. */
  maxValueChars?: number;
  /** Characters of names, values and options all fields may add up to; the list stops before it. */
  maxTextChars?: number;
};
