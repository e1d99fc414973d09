import sharp from 'sharp';
import type { OcrResult } from './types.ts';

export type Rotation = OcrResult['rotation'];
/** A word's box; `chars` (when known) lets one-letter words, tall in any orientation, be ignored. */
export type Box = { x0: number; y0: number; x1: number; y1: number; chars?: number };
/** Text, mean word confidence, and word boxes per line in reading order (image coordinates). */
export type RawOcr = { text: string; confidence: number; lines: Box[][] };
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
 */
export async function recognizeOriented(
  png: Buffer,
  ops: OrientationOps,
  policy: OrientationPolicy = DEFAULT_ORIENTATION_POLICY,
): Promise<RawOcr & { rotation: Rotation }> {
  const read = async (rotation: Rotation) => {
    const raw = await ops.recognize(rotation === 0 ? png : await rotatePng(png, rotation));
    return { ...raw, rotation: addRotations(rotation, readingRotation(raw.lines)) };
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
