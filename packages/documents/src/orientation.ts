import sharp from 'sharp';
import type { OcrResult, OcrWord } from './types.ts';

export type Rotation = OcrResult['rotation'];
/** A word's box; `chars` (when known) lets one-letter words, tall in any orientation, be ignored. */
export type Box = { x0: number; y0: number; x1: number; y1: number; chars?: number };
/**
 * One recognition pass: text, mean word confidence, word boxes per line in reading order (for
 * the reading direction), the words with their offsets in `text`, and the size of the image;
 * all boxes in that image's pixels.
 */
export type RawOcr = { text: string; confidence: number; lines: Box[][]; words: OcrWord[]; imageWidth: number; imageHeight: number };
/** OSD verdict: clockwise degrees that make the page upright, or null when OSD cannot tell. */
export type OsdResult = { rotation: Rotation; confidence: number } | null;

export type OrientationOps = {
  recognize(png: Buffer): Promise<RawOcr>;
  /** Optional OSD (tesseract legacy engine): consulted only when two passes both read poorly. */
  detect?(png: Buffer): Promise<OsdResult>;
};

export type OrientationPolicy = {
  /** A pass at or above this mean word confidence is accepted as it is. */
  trustConfidence: number;
  /** A turned reading must beat the upright one by this many points to win. */
  minGain: number;
  /** OSD orientation confidence below this is ignored. */
  minOsdConfidence: number;
};

// From bench-ocr.ts: correct readings score 83-96, wrong-way-up ones 15-46.
export const DEFAULT_ORIENTATION_POLICY: OrientationPolicy = {
  trustConfidence: 70,
  minGain: 10,
  minOsdConfidence: 1.5,
};

/**
 * OCR with orientation correction in at most two passes for the usual cases. Tesseract
 * (5.x, with its default vertical-text detection) reads a page turned 90° clockwise
 * as-is, and the word boxes show it (see readingRotation). So: read upright; if that is
 * poor, read the page flipped 180°, which covers both upside-down and 90°-anticlockwise
 * pages; keep the better. Only when both passes read poorly is OSD asked, if available.
 * The boxes of the reading returned are on the upright page (the input turned `rotation`).
 */
export async function recognizeOriented(
  png: Buffer,
  ops: OrientationOps,
  policy: OrientationPolicy = DEFAULT_ORIENTATION_POLICY,
): Promise<RawOcr & { rotation: Rotation }> {
  const read = async (rotation: Rotation) => {
    const raw = await ops.recognize(rotation === 0 ? png : await rotatePng(png, rotation));
    // A page read as vertical text was not turned by the engine: its boxes are, here.
    const reading = readingRotation(raw.lines);
    return { ...turnOcr(raw, reading), rotation: addRotations(rotation, reading) };
  };
  const upright = await read(0);
  if (upright.confidence >= policy.trustConfidence || upright.text.trim() === '') return upright;

  const flipped = await read(180);
  let best = flipped.confidence >= upright.confidence + policy.minGain ? flipped : upright;
  if (best.confidence >= policy.trustConfidence || !ops.detect) return best;

  const osd = await ops.detect(png);
  if (osd && osd.confidence >= policy.minOsdConfidence && osd.rotation % 180 !== 0) {
    const turned = await read(osd.rotation);
    if (turned.confidence >= best.confidence + policy.minGain) best = turned;
  }
  return best;
}

/**
 * Which way the recognised lines run. Tesseract quietly reads pages turned one way
 * sideways as vertical text, so a confident upright pass can still come from a rotated
 * page; the direction from a line's first word to its last tells which.
 */
export function readingRotation(lines: Box[][]): Rotation {
  let dx = 0;
  let dy = 0;
  for (const words of lines) {
    const first = words[0];
    const last = words[words.length - 1];
    if (!first || !last || first === last) continue;
    dx += (last.x0 + last.x1 - first.x0 - first.x1) / 2;
    dy += (last.y0 + last.y1 - first.y0 - first.y1) / 2;
  }
  if (dx === 0 && dy === 0) return singleWordRotation(lines);
  if (Math.abs(dx) >= Math.abs(dy)) return dx >= 0 ? 0 : 180;
  // Text running down the image means the page was turned clockwise: undo with 270.
  return dy > 0 ? 270 : 90;
}

// One-word lines have no direction; a word standing on end was read as (downward) vertical text.
function singleWordRotation(lines: Box[][]): Rotation {
  let vote = 0;
  for (const b of lines.flat()) {
    if (b.chars !== undefined && b.chars < 3) continue;
    const w = b.x1 - b.x0;
    const h = b.y1 - b.y0;
    if (h > 1.5 * w) vote++;
    else if (w > 1.5 * h) vote--;
  }
  return vote > 0 ? 270 : 0;
}

/** The pass's boxes and image size as they are on its image turned `rotation` clockwise. */
export function turnOcr(raw: RawOcr, rotation: Rotation): RawOcr {
  if (rotation === 0) return raw;
  const { imageWidth: w, imageHeight: h } = raw;
  const sideways = rotation !== 180;
  return {
    ...raw,
    lines: raw.lines.map((line) => line.map((b) => turnBox(b, rotation, w, h))),
    words: raw.words.map((word) => ({ ...word, box: turnBox(word.box, rotation, w, h) })),
    imageWidth: sideways ? h : w,
    imageHeight: sideways ? w : h,
  };
}

/** A box on a `width`×`height` image, moved to where it lies once the image is turned `rotation` clockwise. */
export function turnBox<B extends Omit<Box, 'chars'>>(b: B, rotation: Rotation, width: number, height: number): B {
  if (rotation === 90) return { ...b, x0: height - b.y1, y0: b.x0, x1: height - b.y0, y1: b.x1 };
  if (rotation === 180) return { ...b, x0: width - b.x1, y0: height - b.y1, x1: width - b.x0, y1: height - b.y0 };
  if (rotation === 270) return { ...b, x0: b.y0, y0: width - b.x1, x1: b.y1, y1: width - b.x0 };
  return b;
}

/** The engine-neutral result of a (possibly turned) reading. */
export function toOcrResult(r: RawOcr & { rotation: Rotation }, engine: string): OcrResult {
  return { text: r.text, confidence: r.confidence, rotation: r.rotation, engine, words: r.words, imageWidth: r.imageWidth, imageHeight: r.imageHeight };
}

function addRotations(a: Rotation, b: Rotation): Rotation {
  return ((a + b) % 360) as Rotation;
}

/** Clockwise rotation by a right angle (sharp runs this off the event loop). */
export function rotatePng(png: Buffer, rotation: Rotation): Promise<Buffer> {
  return sharp(png).rotate(rotation).png({ compressionLevel: 3 }).toBuffer();
}

export function toRotation(degrees: number | null | undefined): Rotation | null {
  const d = (((Math.round((degrees ?? Number.NaN) / 90) * 90) % 360) + 360) % 360;
  return d === 0 || d === 90 || d === 180 || d === 270 ? d : null;
}
