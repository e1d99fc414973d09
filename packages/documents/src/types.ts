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

export type ExtractedPage = {
  pageNo: number;
  text: string;
  source: 'text-layer' | 'plain' | 'needs-ocr';
};

export type RenderOptions = {
  dpi: number;
  timeoutMs: number;
  maxMemoryMb: number;
  maxPixels: number;
};

export type OcrResult = {
  text: string;
  /** Mean word confidence, 0..100. */
  confidence: number;
  /** Clockwise degrees the page was turned to make it upright. */
  rotation: 0 | 90 | 180 | 270;
  engine: string;
};

export type OcrEngine = {
  name: string;
  recognize(png: Buffer): Promise<OcrResult>;
  close(): Promise<void>;
};
