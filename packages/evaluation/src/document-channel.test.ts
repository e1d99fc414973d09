// Document channels on the real documents package: pdf-lib/sharp renderings, the isolated parser, tesseract.js.
import { closeDocumentWorkers } from '@triage/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentStages, parseVia, pipelineSettings, type DocumentStages } from './channels.ts';
import { paginate, runDocumentChannel } from './document-channel.ts';
import { mapLimit } from './map-limit.ts';
import { wordRecallCounts } from './metrics.ts';

const NOTE =
  '78-year-old male, arrived by public ambulance. Chief complaint: chest pain radiating to the left arm, diaphoresis. ' +
  'Mental status: alert. BP 85/50, HR 128, RR 28, T 36.8, SpO2 88%.';
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
const recall = (source: string, read: string) => {
  const [hit, total] = wordRecallCounts(source, read);
  return hit / total;
};

describe('pagination, --via and word recall', () => {
  it('splits long text into pages of wrapped lines without losing or reordering a word', () => {
    const words = Array.from({ length: 900 }, (_, i) => `word${i}`);
    const text = `HISTORY:\n${words.slice(0, 450).join(' ')}\n\nPLAN:\n${words.slice(450).join(' ')}`;
    const pages = paginate(text);
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages) {
      const lines = page.split('\n');
      expect(lines.length).toBeLessThanOrEqual(36);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(55);
    }
    expect(pages.join(' ').split(/\s+/).filter(Boolean)).toEqual(text.split(/\s+/).filter(Boolean));
    expect(paginate('')).toEqual(['']);
  });
  it('parses --via, always keeping text as the baseline', () => {
    expect(parseVia('text,pdf,fax')).toEqual(['text', 'digital-pdf', 'fax-ocr']);
    expect(parseVia('fax')).toEqual(['text', 'fax-ocr']);
    expect(parseVia('pdf, text')).toEqual(['text', 'digital-pdf']);
    expect(() => parseVia('text,png')).toThrow(/png/);
  });
  it('counts recall over a multiset of words, ignoring case and punctuation', () => {
    expect(wordRecallCounts('The pain, the PAIN.', 'the pain')).toEqual([2, 4]);
    expect(wordRecallCounts('SpO2 88%', 'Sp0O2 88')).toEqual([1, 2]);
  });
  it('keeps input order with bounded concurrency', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 3, 2], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20]);
    expect(most).toBe(2);
  });
});

describe('document channels through the real document stages', () => {
  let stages: DocumentStages;
  beforeAll(() => {
    // tesseract.js pinned (the test asserts a reading that differs from the source; the CLI may copy it exactly).
    stages = createDocumentStages({ ...pipelineSettings(), OCR_ENGINE: 'tesseract.js' });
  });
  afterAll(async () => {
    await stages?.engine.close();
    await closeDocumentWorkers();
  });

  it('reads a born-digital PDF back from its text layer, page by page, word for word', async () => {
    const letter = Array.from({ length: 60 }, (_, i) => `Paragraph ${i}: the patient reports intermittent headaches and blurred vision since spring.`).join('\n');
    const r = await runDocumentChannel('digital-pdf', letter, stages);
    expect(r.pages.length).toBeGreaterThan(1);
    expect(r.pages.every((p) => p.source === 'text-layer')).toBe(true);
    expect(r.text).toBe(r.pages.map((p) => p.text).join('\n\n'));
    expect(flat(r.text)).toBe(flat(letter));
    expect(r.failure).toBeUndefined();
  });

  it('sends a PDF page with too little text layer to OCR, as the extract stage does', async () => {
    const r = await runDocumentChannel('digital-pdf', 'Chest pain. BP 85/50.', stages);
    expect(r.pages).toHaveLength(1);
    expect(r.pages[0]!.source).toBe('ocr');
    expect(r.pages[0]!.ocrConfidence).toBeGreaterThan(0);
    expect(recall('Chest pain. BP 85/50.', r.text)).toBeGreaterThanOrEqual(0.75);
  });

  it('OCRs a fax rendering: the recognised text differs from the source but keeps most of its words', async () => {
    const r = await runDocumentChannel('fax-ocr', NOTE, stages);
    expect(r.pages.map((p) => p.source)).toEqual(['ocr']);
    const confidence = r.pages[0]!.ocrConfidence!;
    expect(confidence).toBeGreaterThan(50);
    expect(confidence).toBeLessThanOrEqual(100);
    // Recognised, not copied: the characters are not the source's, yet nearly every word is there.
    expect(flat(r.text)).not.toBe(flat(NOTE));
    expect(recall(NOTE, r.text)).toBeGreaterThanOrEqual(0.85);
    expect(r.lowConfidencePages).toEqual(confidence < stages.ocrMinConfidence ? [1] : []);
  });

  it('flags every OCR page under the confidence floor as persist does', async () => {
    const r = await runDocumentChannel('fax-ocr', NOTE, { ...stages, ocrMinConfidence: 101 });
    expect(r.lowConfidencePages).toEqual([1]);
  });
});
