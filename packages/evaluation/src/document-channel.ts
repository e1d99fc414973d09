// One record through a document channel: rendered by the fixtures, read back by the workers' document functions.
import { joinPageTexts } from '@triage/contracts';
import { extractPages, isDocumentError, makeBornDigitalPdf, makeFaxTiff, renderPage, sniffKind } from '@triage/documents';
import type { Channel, DocumentChannel, DocumentStages, FaxResolution } from './channels.ts';

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
