import { createWorker } from 'tesseract.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeFaxTiff, makeImageOnlyPdf, makeScanPng } from './fixtures.ts';
import { closeDocumentWorkers, renderPage } from './isolate.ts';
import { createNativeTesseractEngine } from './native-tesseract.ts';
import { createTesseractJsEngine, detectPage, spawnDetector, terminate } from './ocr-pool.ts';
import type { OcrEngine } from './types.ts';
import { wordRecallCounts } from './word-recall.ts';

const SENTENCE = 'Urgent referral for suspected appendicitis with fever and right lower abdominal pain.';
const LETTER = [
  'Dear Colleague,',
  'Thank you for seeing this patient who presents with progressive shortness of breath on exertion',
  'over the last two months, ankle swelling and orthopnoea. Examination shows bibasal crackles.',
  'Please assess for heart failure and arrange an echocardiogram at your earliest convenience.',
].join('\n');

vi.mock('tesseract.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('tesseract.js')>();
  return { ...real, createWorker: vi.fn(real.createWorker) };
});

/** Share of the expected words (case and punctuation ignored) found in the OCR output. */
function wordRecall(expected: string, actual: string): number {
  const [hit, total] = wordRecallCounts(expected, actual);
  return hit / total;
}

describe('tesseract.js engine', () => {
  let engine: OcrEngine;
  beforeAll(() => {
    engine = createTesseractJsEngine({ workers: 1 });
  });
  afterAll(async () => {
    await engine.close();
    await closeDocumentWorkers();
  });

  it('reads a generated upright scan', async () => {
    const r = await engine.recognize(await makeScanPng(SENTENCE, 0));
    expect(wordRecall(SENTENCE, r.text)).toBeGreaterThanOrEqual(0.8);
    expect(r.rotation).toBe(0);
    expect(r.confidence).toBeGreaterThan(70);
    expect(r.engine).toBe('tesseract.js');
  });

  // The page is turned clockwise by `turned`; undoing that takes (360 - turned) clockwise.
  it.each([90, 180, 270] as const)('detects and reads a scan turned %i degrees', async (turned) => {
    const r = await engine.recognize(await makeScanPng(LETTER, turned));
    expect(r.rotation).toBe((360 - turned) % 360);
    expect(wordRecall(LETTER, r.text)).toBeGreaterThanOrEqual(0.8);
  });

  it.each([90, 180, 270] as const)('finds the orientation of a one-line note turned %i degrees', async (turned) => {
    const r = await engine.recognize(await makeScanPng(SENTENCE, turned));
    expect(r.rotation).toBe((360 - turned) % 360);
    expect(wordRecall(SENTENCE, r.text)).toBeGreaterThanOrEqual(0.8);
  });

  it('reads an image-only PDF page end to end (render in isolate, OCR in pool)', async () => {
    const pdf = await makeImageOnlyPdf([LETTER]);
    const png = await renderPage(pdf, 'pdf', 1, { dpi: 200, timeoutMs: 20_000, maxMemoryMb: 256, maxPixels: 40_000_000 });
    const r = await engine.recognize(png);
    expect(wordRecall(LETTER, r.text)).toBeGreaterThanOrEqual(0.9);
  });

  it('reads page 2 of a standard-resolution (200×100 dpi) fax TIFF', async () => {
    const tiff = await makeFaxTiff(['Cover sheet', LETTER], { resolution: 'standard' });
    const png = await renderPage(tiff, 'tiff', 2, { dpi: 200, timeoutMs: 20_000, maxMemoryMb: 256, maxPixels: 40_000_000 });
    const r = await engine.recognize(png);
    expect(wordRecall(LETTER, r.text)).toBeGreaterThanOrEqual(0.8);
    expect(r.text).not.toContain('Cover sheet');
  });

  it('returns empty text with zero confidence for a blank page', async () => {
    const r = await engine.recognize(await makeScanPng('', 0));
    expect(r.text).toBe('');
    expect(r.rotation).toBe(0);
  });

  it('queues concurrent pages onto its worker instead of spawning more', async () => {
    const png = await makeScanPng(SENTENCE, 0);
    const results = await Promise.all([engine.recognize(png), engine.recognize(png), engine.recognize(png)]);
    for (const r of results) expect(wordRecall(SENTENCE, r.text)).toBeGreaterThanOrEqual(0.8);
    // one recognition worker for the whole file, and no OSD worker unless asked for
    const langs = vi.mocked(createWorker).mock.calls.map((c) => c[0]);
    expect(langs).toEqual(['eng']);
  });
});

describe('tesseract.js OSD worker (osd: true)', () => {
  it('loads the packaged OSD data and tells which way a page is turned', async () => {
    const detector = await spawnDetector();
    try {
      expect(await detectPage(detector, await makeScanPng(LETTER, 90), 30_000)).toMatchObject({ rotation: 270 });
    } finally {
      await terminate(detector);
    }
  });
});

const native = createNativeTesseractEngine();
describe.skipIf(!native)('native tesseract engine (when installed)', () => {
  afterAll(() => native?.close());

  it('reads an upright and a turned scan', async () => {
    const upright = await native!.recognize(await makeScanPng(LETTER, 0));
    expect(wordRecall(LETTER, upright.text)).toBeGreaterThanOrEqual(0.8);
    expect(upright.engine).toBe('tesseract-cli');
    const turned = await native!.recognize(await makeScanPng(LETTER, 180));
    expect(turned.rotation).toBe(180);
    expect(wordRecall(LETTER, turned.text)).toBeGreaterThanOrEqual(0.8);
  });
});
