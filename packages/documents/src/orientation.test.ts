import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readingRotation, recognizeOriented, rotatePng, toRotation } from './orientation.ts';
import type { Box, OrientationOps, RawOcr, Rotation } from './orientation.ts';

const box = (x0: number, y0: number, x1: number, y1: number): Box => ({ x0, y0, x1, y1 });

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
        if (applied === needs) return { text: 'clear text', confidence: 91, lines: [[box(0, 0, 40, 10), box(50, 0, 90, 10)]] };
        // still turned 90° clockwise: read top to bottom, as tesseract does
        if (vertical && (applied + 270) % 360 === needs) return { text: 'clear text', confidence: 90, lines: [[box(0, 0, 10, 40), box(0, 50, 10, 90)]] };
        return { text: 'x~ ;', confidence: 35, lines: [] };
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

  it('reports a page tesseract read sideways in one pass', async () => {
    const { ops, calls } = fakeEngine(270);
    expect(await recognizeOriented(await page(), ops)).toMatchObject({ rotation: 270, confidence: 90 });
    expect(calls.recognize).toEqual([0]);
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
    const ops: OrientationOps = { recognize: async () => ({ text: '', confidence: 0, lines: [] }) };
    expect(await recognizeOriented(await page(), ops)).toMatchObject({ text: '', rotation: 0 });
  });
});
