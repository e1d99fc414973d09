import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readingRotation, recognizeOriented, rotatePng, toRotation, turnBox } from './orientation.ts';
import type { Box, OrientationOps, RawOcr, Rotation } from './orientation.ts';

const box = (x0: number, y0: number, x1: number, y1: number): Box => ({ x0, y0, x1, y1 });
/** A pass whose words are the lines' boxes, in order. */
const pass = (text: string, confidence: number, lines: Box[][], [imageWidth, imageHeight] = [3, 2]): RawOcr => ({
  text,
  confidence,
  lines,
  words: lines.flat().map((b, i) => ({ start: i, end: i + 1, box: b, confidence })),
  imageWidth,
  imageHeight,
});

describe('readingRotation', () => {
  it('derives the correction from the direction lines run in', () => {
    expect(readingRotation([[box(0, 0, 50, 20), box(60, 0, 120, 20)]])).toBe(0);
    expect(readingRotation([[box(200, 0, 250, 20), box(100, 0, 150, 20)]])).toBe(180);
    expect(readingRotation([[box(0, 0, 20, 50), box(0, 60, 20, 120)]])).toBe(270); // runs down
    expect(readingRotation([[box(0, 200, 20, 250), box(0, 60, 20, 120)]])).toBe(90); // runs up
  });

  it('uses word shape when every line is a single word', () => {
    expect(readingRotation([[box(0, 0, 20, 120)]])).toBe(270);
    expect(readingRotation([[box(0, 0, 120, 20)]])).toBe(0);
    expect(readingRotation([])).toBe(0);
    // a page of lone "l", "1" and "|": tall, but says nothing about orientation
    expect(readingRotation([[{ ...box(0, 0, 10, 40), chars: 1 }], [{ ...box(0, 50, 10, 90), chars: 1 }]])).toBe(0);
  });
});

describe('toRotation', () => {
  it('normalises to right angles', () => {
    expect([0, 90, 180, 270, 360, -90, 89].map(toRotation)).toEqual([0, 90, 180, 270, 0, 270, 90]);
    expect(toRotation(null)).toBeNull();
  });
});

describe('rotatePng', () => {
  it('turns clockwise', async () => {
    // a 2×1 image, black on the left: after 90° clockwise the black pixel is on top
    const png = await sharp(Buffer.from([0, 255]), { raw: { width: 2, height: 1, channels: 1 } }).png().toBuffer();
    const { data, info } = await sharp(await rotatePng(png, 90)).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([1, 2]);
    expect(data[0]).toBe(0);
  });
});

describe('turnBox', () => {
  // Paints the box black on a white 7×4 image, turns the image with rotatePng and finds the black pixels again.
  it.each([0, 90, 180, 270] as const)('agrees with rotatePng for %i degrees', async (rotation) => {
    const [w, h] = [7, 4];
    const b = box(1, 0, 3, 3);
    const pixels = Buffer.alloc(w * h, 255);
    for (let y = b.y0; y < b.y1; y++) for (let x = b.x0; x < b.x1; x++) pixels[y * w + x] = 0;
    const png = await sharp(pixels, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();
    const { data, info } = await sharp(await rotatePng(png, rotation)).greyscale().raw().toBuffer({ resolveWithObject: true });
    const found = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    data.forEach((v, i) => {
      if (v > 127) return;
      const [x, y] = [i % info.width, Math.floor(i / info.width)];
      Object.assign(found, { x0: Math.min(found.x0, x), y0: Math.min(found.y0, y), x1: Math.max(found.x1, x + 1), y1: Math.max(found.y1, y + 1) });
    });
    expect(turnBox(b, rotation, w, h)).toEqual(found);
  });
});

describe('recognizeOriented', () => {
  // A 3×2 page with one black pixel top-left: where that pixel ends up tells the fake
  // engine which rotation it was handed.
  const page = () => sharp(Buffer.from([0, 255, 255, 255, 255, 255]), { raw: { width: 3, height: 2, channels: 1 } }).png().toBuffer();
  async function appliedRotation(png: Buffer): Promise<Rotation> {
    const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    const at = data.indexOf(0);
    const [x, y] = [at % info.width, Math.floor(at / info.width)];
    if (info.width === 3) return x === 0 && y === 0 ? 0 : 180;
    return x === 1 ? 90 : 270;
  }

  type Osd = Awaited<ReturnType<NonNullable<OrientationOps['detect']>>>;
  /** Reads well only at rotation `needs`, or, like tesseract, 90° short of it (vertical text). */
  function fakeEngine(needs: Rotation, osd?: Osd, vertical = true) {
    const calls = { recognize: [] as Rotation[], detect: 0 };
    const ops: OrientationOps = {
      recognize: async (png): Promise<RawOcr> => {
        const applied = await appliedRotation(png);
        calls.recognize.push(applied);
        const { width, height } = await sharp(png).metadata();
        const size: [number, number] = [width!, height!];
        if (applied === needs) return pass('clear text', 91, [[box(0, 0, 1, 1), box(1, 0, 2, 1)]], size);
        // still turned 90° clockwise: read top to bottom down the right-hand column, as tesseract does
        if (vertical && (applied + 270) % 360 === needs) return pass('clear text', 90, [[box(2, 0, 3, 1), box(2, 1, 3, 2)]], size);
        return pass('x~ ;', 35, [], size);
      },
    };
    if (osd !== undefined) {
      ops.detect = async () => {
        calls.detect++;
        return osd;
      };
    }
    return { ops, calls };
  }

  it('accepts a confident upright page in one pass', async () => {
    const { ops, calls } = fakeEngine(0, null);
    expect(await recognizeOriented(await page(), ops)).toMatchObject({ text: 'clear text', rotation: 0 });
    expect(calls).toEqual({ recognize: [0], detect: 0 });
  });

  it('reports a page tesseract read sideways in one pass, with its boxes turned upright', async () => {
    const { ops, calls } = fakeEngine(270);
    const r = await recognizeOriented(await page(), ops);
    expect(r).toMatchObject({ rotation: 270, confidence: 90, imageWidth: 2, imageHeight: 3 });
    expect(calls.recognize).toEqual([0]);
    // the words, read down the sideways page, now run left to right along its top line
    expect(r.words.map((w) => w.box)).toEqual([box(0, 0, 1, 1), box(1, 0, 2, 1)]);
    expect(r.lines).toEqual([[box(0, 0, 1, 1), box(1, 0, 2, 1)]]);
  });

  it.each([180, 90] as const)('reads a page needing %i° on the flipped second pass', async (needs) => {
    const { ops, calls } = fakeEngine(needs);
    expect(await recognizeOriented(await page(), ops)).toMatchObject({ text: 'clear text', rotation: needs });
    expect(calls.recognize).toEqual([0, 180]);
  });

  it('keeps a poor upright reading when flipping does not help, without OSD', async () => {
    const { ops, calls } = fakeEngine(0);
    const poor: OrientationOps = { recognize: async (png) => ({ ...(await ops.recognize(png)), confidence: 50 }) };
    expect(await recognizeOriented(await page(), poor)).toMatchObject({ rotation: 0, confidence: 50 });
    expect(calls.recognize).toEqual([0, 180]);
  });

  it('asks OSD only when both passes read poorly, and follows a sideways verdict', async () => {
    const { ops, calls } = fakeEngine(90, { rotation: 90, confidence: 6 }, false);
    expect(await recognizeOriented(await page(), ops)).toMatchObject({ text: 'clear text', rotation: 90 });
    expect(calls).toEqual({ recognize: [0, 180, 90], detect: 1 });
  });

  it('ignores a weak or useless OSD verdict', async () => {
    for (const osd of [{ rotation: 90 as const, confidence: 0.2 }, { rotation: 180 as const, confidence: 9 }, null]) {
      const { ops, calls } = fakeEngine(90, osd, false);
      expect(await recognizeOriented(await page(), ops)).toMatchObject({ rotation: 0, confidence: 35 });
      expect(calls.recognize).toEqual([0, 180]);
    }
  });

  it('does not turn a blank page', async () => {
    const ops: OrientationOps = { recognize: async () => pass('', 0, []) };
    expect(await recognizeOriented(await page(), ops)).toMatchObject({ text: '', rotation: 0 });
  });
});
