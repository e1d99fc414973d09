import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeScanPng } from './fixtures.ts';
import { createNativeTesseractEngine } from './native-tesseract.ts';
import { createTesseractJsEngine } from './ocr-pool.ts';
import type { OcrEngine, OcrResult, OcrWord } from './types.ts';

const LETTER = [
  'Dear Colleague,',
  'Thank you for seeing this patient who presents with progressive shortness of breath on exertion',
  'over the last two months, ankle swelling and orthopnoea. Examination shows bibasal crackles.',
].join('\n');
const VOCABULARY = new Set(LETTER.toLowerCase().split(/\s+/));
// makeScanPng draws a letter page at 200 dpi
const UPRIGHT_SIZE = [1700, 2200];

/** The words of each text line (words separated by a line break are on different lines). */
function linesOf(r: OcrResult): OcrWord[][] {
  const lines: OcrWord[][] = [];
  r.words.forEach((w, i) => {
    const prev = r.words[i - 1];
    if (!prev || r.text.slice(prev.end, w.start).includes('\n')) lines.push([w]);
    else lines.at(-1)!.push(w);
  });
  return lines;
}

/** What every reading must satisfy, whichever way the page was turned. */
function expectUprightWords(r: OcrResult): void {
  expect([r.imageWidth, r.imageHeight]).toEqual(UPRIGHT_SIZE);
  // offsets: the words are exactly the text's tokens, in order
  expect(r.words.map((w) => r.text.slice(w.start, w.end))).toEqual(r.text.split(/\s+/).filter(Boolean));
  const known = r.words.filter((w) => VOCABULARY.has(r.text.slice(w.start, w.end).toLowerCase()));
  expect(known.length / r.words.length).toBeGreaterThanOrEqual(0.8);
  for (const { box } of r.words) {
    expect(box.x0).toBeGreaterThanOrEqual(0);
    expect(box.y0).toBeGreaterThanOrEqual(0);
    expect(box.x1).toBeLessThanOrEqual(r.imageWidth);
    expect(box.y1).toBeLessThanOrEqual(r.imageHeight);
    expect(box.x1).toBeGreaterThan(box.x0);
    expect(box.y1).toBeGreaterThan(box.y0);
  }
  const lines = linesOf(r);
  expect(lines.length).toBeGreaterThanOrEqual(3);
  for (const line of lines) {
    // left to right, in one horizontal band no taller than a couple of text lines
    for (let i = 1; i < line.length; i++) expect(line[i]!.box.x0).toBeGreaterThan(line[i - 1]!.box.x0);
    const mids = line.map((w) => (w.box.y0 + w.box.y1) / 2);
    expect(Math.max(...mids) - Math.min(...mids)).toBeLessThan(40);
  }
  // upright words are wider than tall
  const long = r.words.filter((w) => w.end - w.start >= 4);
  expect(long.filter((w) => w.box.x1 - w.box.x0 > w.box.y1 - w.box.y0).length / long.length).toBeGreaterThanOrEqual(0.9);
}

/** Share of the upright reading's words found at (nearly) the same place in another reading. */
function sameBoxes(upright: OcrResult, other: OcrResult, tolerancePx = 12): number {
  const at = new Map(other.words.map((w) => [other.text.slice(w.start, w.end), w.box]));
  const hits = upright.words.filter((w) => {
    const b = at.get(upright.text.slice(w.start, w.end));
    return b && Math.abs(b.x0 - w.box.x0) <= tolerancePx && Math.abs(b.y0 - w.box.y0) <= tolerancePx;
  });
  return hits.length / upright.words.length;
}

describe.each([
  ['tesseract.js', () => createTesseractJsEngine({ workers: 1 })],
  ['tesseract-cli', () => createNativeTesseractEngine()],
] as const)('OCR words and boxes (%s)', (name, create) => {
  const engine: OcrEngine | null = create();
  let upright: OcrResult;
  beforeAll(async () => {
    if (engine) upright = await engine.recognize(await makeScanPng(LETTER, 0));
  });
  afterAll(() => engine?.close());

  it.skipIf(!engine)('gives offsets into the text and boxes on the page', () => {
    expect(upright.rotation).toBe(0);
    expect(upright.engine).toBe(name);
    expectUprightWords(upright);
    expect(upright.words.every((w) => w.confidence >= 0 && w.confidence <= 100)).toBe(true);
  });

  // a page turned 90° clockwise is the one tesseract reads as vertical text, without turning it
  it.skipIf(!engine).each(name === 'tesseract.js' ? ([90, 180, 270] as const) : ([90] as const))(
    'puts the boxes of a page turned %i degrees on the upright page',
    async (turned) => {
      const r = await engine!.recognize(await makeScanPng(LETTER, turned));
      expect(r.rotation).toBe((360 - turned) % 360);
      expectUprightWords(r);
      expect(sameBoxes(upright, r)).toBeGreaterThanOrEqual(0.8);
    },
  );
});
