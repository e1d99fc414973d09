// A generated referral through one channel, read back by the workers' document code: text as is, a born-digital
// PDF, an AcroForm PDF (its text layer and its fields), or a G4 fax OCR'd page by page with word boxes.
import { extractPages, fillAcroForm, isDocumentError, makeAcroFormPdf, makeBornDigitalPdf, makeFaxTiff, readAcroForm, renderPage, sniffKind } from '@triage/documents';
import type { AcroField, PageInput } from '@triage/fields';
import type { DocumentStages } from '../channels.ts';
import { paginate } from '../document-channel.ts';
import type { GeneratedReferral } from './referral-types.ts';

export const FIELD_CHANNELS = ['text', 'pdf', 'acroform', 'fax'] as const;
export type FieldChannel = (typeof FIELD_CHANNELS)[number];

/** `--via text,pdf,acroform,fax`; text is always included (the baseline, and the timing channel). */
export function parseFieldsVia(spec: string): FieldChannel[] {
  const asked = new Set<FieldChannel>(['text']);
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(FIELD_CHANNELS as readonly string[]).includes(part)) throw new Error(`--via takes text, pdf, acroform and fax (comma-separated), got "${part}"`);
    asked.add(part as FieldChannel);
  }
  return FIELD_CHANNELS.filter((c) => asked.has(c));
}

/** AcroForms go through the acroform channel only; letters and typed forms through the others. */
export const channelApplies = (channel: FieldChannel, doc: GeneratedReferral) => (channel === 'acroform') === (doc.family === 'acroform');

export type ChannelRead = { pages: PageInput[]; acroform?: AcroField[]; failure?: string; ocrConfidences: number[]; seconds: number };

// Same budgets as document-channel.ts: shrink until every page fits the renderer.
async function renderPages(pages: string[], render: (pages: string[]) => Promise<Buffer>): Promise<Buffer> {
  for (let scale = 1; ; scale *= 0.75) {
    const split = pages.flatMap((p) => paginate(p, Math.max(10, Math.floor(55 * scale)), Math.max(4, Math.floor(36 * scale))));
    try {
      return await render(split);
    } catch (e) {
      if (!(e instanceof RangeError) || scale < 0.1) throw e;
    }
  }
}

async function documentBytes(doc: GeneratedReferral, channel: Exclude<FieldChannel, 'text'>, stages: DocumentStages, tsaiPdf: Buffer | null): Promise<Buffer> {
  if (channel === 'pdf') return renderPages(doc.pages, makeBornDigitalPdf);
  if (channel === 'fax') return renderPages(doc.pages, (p) => makeFaxTiff(p, { resolution: stages.faxResolution }));
  const form = doc.acroform;
  if (!form) throw new Error(`${doc.id} is not an AcroForm`);
  if (form.template === 'generated') return makeAcroFormPdf(form.fields);
  if (!tsaiPdf) throw new Error('the shared Tsai referral form was not loaded');
  return fillAcroForm(tsaiPdf, form.values);
}

/** Reads `doc` as the pipeline would: extractPages in the isolate, OCR (with words) for pages without text. */
export async function readThroughChannel(doc: GeneratedReferral, channel: FieldChannel, stages: DocumentStages, tsaiPdf: Buffer | null = null): Promise<ChannelRead> {
  const started = Date.now();
  const ocrConfidences: number[] = [];
  const done = (pages: PageInput[], extra: { acroform?: AcroField[]; failure?: string } = {}): ChannelRead => ({ pages, ...extra, ocrConfidences, seconds: (Date.now() - started) / 1000 });
  if (channel === 'text') return done(doc.pages.map((text, i) => ({ pageNo: i + 1, text, source: 'plain' })));
  const bytes = await documentBytes(doc, channel, stages, tsaiPdf);
  const kind = sniffKind(bytes);
  if (!kind) return done([], { failure: 'unsupported' });
  const pages: PageInput[] = [];
  try {
    for (const p of await extractPages(bytes, kind, stages.limits)) {
      if (p.source !== 'needs-ocr') {
        pages.push({ pageNo: p.pageNo, text: p.text, source: p.source, ...(p.layout && { words: p.layout.words, width: p.layout.imageWidth }) });
        continue;
      }
      const r = await stages.engine.recognize(await renderPage(bytes, kind, p.pageNo, stages.render));
      ocrConfidences.push(r.confidence);
      pages.push({ pageNo: p.pageNo, text: r.text, source: 'ocr', words: r.words, width: r.imageWidth });
    }
    if (channel !== 'acroform') return done(pages);
    const acroform = await readAcroForm(bytes, { timeoutMs: stages.limits.timeoutMs, maxMemoryMb: stages.limits.maxMemoryMb });
    return done(pages, { acroform });
  } catch (e) {
    if (isDocumentError(e)) return done(pages, { failure: e.reason });
    throw e;
  }
}
