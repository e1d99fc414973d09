// Evaluation channels: the record's text as is, or rendered as a document and read back by the real document stages.
import { configSchema, type Config } from '@triage/config';
import { joinPageTexts } from '@triage/contracts';
import {
  createNativeTesseractEngine,
  createTesseractJsEngine,
  extractPages,
  isDocumentError,
  makeBornDigitalPdf,
  makeFaxTiff,
  renderPage,
  sniffKind,
  type ExtractLimits,
  type OcrEngine,
  type RenderOptions,
} from '@triage/documents';

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
  const native = s.OCR_ENGINE === 'native' ? createNativeTesseractEngine({ pageTimeoutMs: s.PAGE_TIMEOUT_MS }) : null;
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

export type ChannelPage = { pageNo: number; source: 'text-layer' | 'plain' | 'ocr'; text: string; ocrConfidence: number | null };

export type ChannelRun = {
  channel: Channel;
  /** The pages joined as the classify and persist stages join them. */
  text: string;
  pages: ChannelPage[];
  /** OCR pages under OCR_MIN_CONFIDENCE: persist sends such a case to review (`unreadable_page`). */
  lowConfidencePages: number[];
  /** Why the pipeline would have failed the document instead (a DocumentError reason, or `no_text`). */
  failure?: string;
  seconds: number;
};

// Conservative for both renderers (Helvetica 12 pt fits ~78 average characters in 6.5 in; the 200 dpi canvas
// ~70; the PDF page holds 43 lines, the image 40), so a rendered page never overflows.
const LINE_CHARS = 55;
const PAGE_LINES = 36;

/** Splits text into page-sized chunks, wrapping at word boundaries as the fixtures do. */
export function paginate(text: string, lineChars = LINE_CHARS, pageLines = PAGE_LINES): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && candidate.length > lineChars) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    lines.push(line);
  }
  // Blank lines at a page top would only waste the page.
  const pages: string[] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (!current.length && !line) continue;
    current.push(line);
    if (current.length >= pageLines) {
      pages.push(current.join('\n'));
      current = [];
    }
  }
  if (current.some(Boolean)) pages.push(current.join('\n'));
  return pages.length ? pages : [''];
}

/** Renders with shrinking page budgets until every page fits (unusually wide text can overflow the estimate). */
async function renderDocument(channel: DocumentChannel, text: string, faxResolution: FaxResolution): Promise<Buffer> {
  for (let scale = 1; ; scale *= 0.75) {
    const pages = paginate(text, Math.max(10, Math.floor(LINE_CHARS * scale)), Math.max(4, Math.floor(PAGE_LINES * scale)));
    try {
      return channel === 'digital-pdf' ? await makeBornDigitalPdf(pages) : await makeFaxTiff(pages, { resolution: faxResolution });
    } catch (e) {
      if (!(e instanceof RangeError) || scale < 0.1) throw e;
    }
  }
}

function pngPixels(png: Buffer): number {
  return png.length >= 24 ? png.readUInt32BE(16) * png.readUInt32BE(20) : 0;
}

/**
 * The document stages as the workers run them: sniff → extractPages (isolated parser) → for each page without a
 * usable text layer renderPage + the OCR engine → pages joined. Postgres, Redis and the queue are not involved.
 */
export async function runDocumentChannel(channel: DocumentChannel, source: string, stages: DocumentStages): Promise<ChannelRun> {
  const started = Date.now();
  const bytes = await renderDocument(channel, source, stages.faxResolution);
  const kind = sniffKind(bytes);
  const finish = (pages: ChannelPage[], failure?: string): ChannelRun => {
    const text = joinPageTexts(pages.map((p) => p.text));
    // The classify stage fails a document with no readable text.
    const noText = !failure && text.replace(/\s/g, '').length < 3 ? 'no_text' : undefined;
    return {
      channel,
      text,
      pages,
      lowConfidencePages: pages.filter((p) => p.source === 'ocr' && (p.ocrConfidence ?? 0) < stages.ocrMinConfidence).map((p) => p.pageNo),
      ...((failure ?? noText) !== undefined && { failure: failure ?? noText }),
      seconds: (Date.now() - started) / 1000,
    };
  };
  if (!kind) return finish([], 'unsupported');
  const pages: ChannelPage[] = [];
  try {
    let pixels = 0;
    for (const p of await extractPages(bytes, kind, stages.limits)) {
      if (p.source !== 'needs-ocr') {
        pages.push({ pageNo: p.pageNo, source: p.source, text: p.text, ocrConfidence: null });
        continue;
      }
      const png = await renderPage(bytes, kind, p.pageNo, stages.render);
      pixels += pngPixels(png);
      if (pixels > stages.maxDocumentPixels) return finish(pages, 'too_large');
      const r = await stages.engine.recognize(png);
      pages.push({ pageNo: p.pageNo, source: 'ocr', text: r.text, ocrConfidence: r.confidence });
    }
  } catch (e) {
    if (isDocumentError(e)) return finish(pages, e.reason);
    throw e;
  }
  return finish(pages);
}

const words = (s: string) => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];

/** Source words (case and punctuation ignored, as a multiset) found again in the read text: [hits, total]. */
export function wordRecallCounts(source: string, read: string): [number, number] {
  const got = new Map<string, number>();
  for (const w of words(read)) got.set(w, (got.get(w) ?? 0) + 1);
  const want = words(source);
  let hit = 0;
  for (const w of want) {
    const n = got.get(w) ?? 0;
    if (n > 0) {
      hit++;
      got.set(w, n - 1);
    }
  }
  return [hit, want.length];
}

/** Runs `work` over items with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}
