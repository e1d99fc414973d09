// Evaluation channels (the record's text as is, or rendered as a document and read back) and the stages' settings.
import { configSchema, type Config } from '@triage/config';
import { createNativeTesseractEngine, createTesseractJsEngine, type ExtractLimits, type OcrEngine, type RenderOptions } from '@triage/documents';

export const CHANNELS = ['text', 'digital-pdf', 'fax-ocr'] as const;
export type Channel = (typeof CHANNELS)[number];
export type DocumentChannel = Exclude<Channel, 'text'>;

const VIA: Record<string, Channel> = { text: 'text', pdf: 'digital-pdf', fax: 'fax-ocr' };

/** `--via text,pdf,fax`; text is always included: it is the baseline the document channels are compared with. */
export function parseVia(spec: string): Channel[] {
  const asked = new Set<Channel>(['text']);
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const ch = VIA[part];
    if (!ch) throw new Error(`--via takes text, pdf and fax (comma-separated), got "${part}"`);
    asked.add(ch);
  }
  return CHANNELS.filter((c) => asked.has(c));
}

/** The config settings the extract/ocr/persist stages run with; the evaluation uses the same ones. */
export type PipelineSettings = Pick<
  Config,
  | 'MAX_PAGES'
  | 'MIN_TEXT_CHARS'
  | 'PARSE_TIMEOUT_MS'
  | 'PARSE_MEMORY_MB'
  | 'MAX_PAGE_PIXELS'
  | 'MAX_DOCUMENT_PIXELS'
  | 'MAX_TEXT_CHARS'
  | 'OCR_DPI'
  | 'OCR_ENGINE'
  | 'OCR_WORKERS'
  | 'OCR_MIN_CONFIDENCE'
  | 'PAGE_TIMEOUT_MS'
>;

export function pipelineSettings(c: Config = configSchema.parse({})): PipelineSettings {
  const { MAX_PAGES, MIN_TEXT_CHARS, PARSE_TIMEOUT_MS, PARSE_MEMORY_MB, MAX_PAGE_PIXELS, MAX_DOCUMENT_PIXELS, MAX_TEXT_CHARS, OCR_DPI, OCR_ENGINE, OCR_WORKERS, OCR_MIN_CONFIDENCE, PAGE_TIMEOUT_MS } = c;
  return { MAX_PAGES, MIN_TEXT_CHARS, PARSE_TIMEOUT_MS, PARSE_MEMORY_MB, MAX_PAGE_PIXELS, MAX_DOCUMENT_PIXELS, MAX_TEXT_CHARS, OCR_DPI, OCR_ENGINE, OCR_WORKERS, OCR_MIN_CONFIDENCE, PAGE_TIMEOUT_MS };
}

export type FaxResolution = 'fine' | 'standard';

/** What the channel comparison ran: channels, sampled records, OCR engine, wall-clock seconds per document channel. */
export type ChannelInfo = { channels: Channel[]; sampled: number; engine: string | null; faxResolution: FaxResolution; seconds: Partial<Record<Channel, number>> };

export type DocumentStages = {
  limits: ExtractLimits;
  render: RenderOptions;
  maxDocumentPixels: number;
  ocrMinConfidence: number;
  engine: OcrEngine;
  faxResolution: FaxResolution;
};

/** Wires the stages as apps/cli does for the workers (native engine only when asked and on PATH). */
export function createDocumentStages(s: PipelineSettings, faxResolution: FaxResolution = 'fine'): DocumentStages & { engineNote: string } {
  const native = s.OCR_ENGINE !== 'tesseract.js' ? createNativeTesseractEngine({ pageTimeoutMs: s.PAGE_TIMEOUT_MS }) : null;
  const engine = native ?? createTesseractJsEngine({ workers: s.OCR_WORKERS, pageTimeoutMs: s.PAGE_TIMEOUT_MS });
  const engineNote = s.OCR_ENGINE === 'native' && !native ? 'native asked, no tesseract on PATH: tesseract.js' : engine.name;
  return {
    limits: {
      maxPages: s.MAX_PAGES,
      minTextChars: s.MIN_TEXT_CHARS,
      timeoutMs: s.PARSE_TIMEOUT_MS,
      maxMemoryMb: s.PARSE_MEMORY_MB,
      maxPagePixels: s.MAX_PAGE_PIXELS,
      maxDocumentPixels: s.MAX_DOCUMENT_PIXELS,
      renderDpi: s.OCR_DPI,
      maxTextChars: s.MAX_TEXT_CHARS,
    },
    render: { dpi: s.OCR_DPI, timeoutMs: s.PAGE_TIMEOUT_MS, maxMemoryMb: s.PARSE_MEMORY_MB, maxPixels: s.MAX_PAGE_PIXELS },
    maxDocumentPixels: s.MAX_DOCUMENT_PIXELS,
    ocrMinConfidence: s.OCR_MIN_CONFIDENCE,
    engine,
    engineNote,
    faxResolution,
  };
}
