/**
 * Generated test documents for unit, end-to-end and benchmark runs, so no test depends on
 * files outside the repo. Heavy libraries load on first use: importing the package index
 * from the app must not pull in pdf-lib or a canvas.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { fixtureFontPath } from './assets.ts';

const PAGE_IN = { width: 8.5, height: 11 };
const SCAN_DPI = 200;
const FONT_PT = 12;
const MARGIN_IN = 1;
const FONT_FAMILY = 'FixtureSans';

export type Rotation = 0 | 90 | 180 | 270;
export type FaxTiffOptions = { resolution?: 'fine' | 'standard' };

/** A letter-size PDF with a real text layer (Helvetica 12 pt), one page per string. */
export async function makeBornDigitalPdf(pages: string[]): Promise<Buffer> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const width = PAGE_IN.width * 72;
  const height = PAGE_IN.height * 72;
  const margin = MARGIN_IN * 72;
  const leading = FONT_PT * 1.25;
  for (const text of pages) {
    const page = doc.addPage([width, height]);
    const lines = wrapLines(toWinAnsi(text), width - 2 * margin, (s) => font.widthOfTextAtSize(s, FONT_PT));
    assertFits(lines.length * leading, height - 2 * margin);
    lines.forEach((line, i) => {
      page.drawText(line, { x: margin, y: height - margin - FONT_PT - i * leading, size: FONT_PT, font });
    });
  }
  return Buffer.from(await doc.save());
}

/** A PDF whose pages are only pictures of text (200 dpi, 12 pt): no text layer at all. */
export async function makeImageOnlyPdf(pages: string[]): Promise<Buffer> {
  const { PDFDocument } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  for (const text of pages) {
    const png = await drawTextPage(text, { noise: false });
    const image = await doc.embedPng(png);
    const page = doc.addPage([PAGE_IN.width * 72, PAGE_IN.height * 72]);
    page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  }
  return Buffer.from(await doc.save());
}

/** A PDF mixing typed pages (text layer) and scanned pages (image only), in the given order. */
export async function makeMixedPdf(pages: Array<{ text: string; scanned: boolean }>): Promise<Buffer> {
  const { PDFDocument } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  for (const page of pages) {
    const single = await PDFDocument.load(await (page.scanned ? makeImageOnlyPdf : makeBornDigitalPdf)([page.text]));
    const [copied] = await doc.copyPages(single, [0]);
    doc.addPage(copied);
  }
  return Buffer.from(await doc.save());
}

/**
 * A scanned-looking letter page (grey paper, speckles, slight skew and blur), turned
 * `rotation` degrees clockwise away from upright.
 */
export async function makeScanPng(text: string, rotation: Rotation): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const png = await drawTextPage(text, { noise: true });
  return sharp(png).blur(0.6).rotate(rotation).greyscale().toColourspace('b-w').png().toBuffer();
}

/**
 * A multi-page bilevel CCITT G4 TIFF like a fax server writes. 'fine' is 200×200 dpi;
 * 'standard' is 200×100 dpi (non-square pixels, as standard-mode faxes are).
 */
export async function makeFaxTiff(pages: string[], opts: FaxTiffOptions = {}): Promise<Buffer> {
  if (pages.length === 0) throw new RangeError('a fax needs at least one page');
  const { default: sharp } = await import('sharp');
  const standard = opts.resolution === 'standard';
  const width = PAGE_IN.width * SCAN_DPI;
  const height = PAGE_IN.height * SCAN_DPI * (standard ? 0.5 : 1);
  const frames = await Promise.all(
    pages.map(async (text) =>
      sharp(await drawTextPage(text, { noise: true }))
        .resize(width, height, { fit: 'fill' })
        .flatten({ background: '#ffffff' }) // an alpha band would make 2 samples per pixel
        .png()
        .toBuffer(),
    ),
  );
  const pxPerMm = (dpi: number) => dpi / 25.4;
  // join+animated stacks pages with a page height, which libvips writes as one IFD per page
  const input = frames.length === 1 ? sharp(frames[0]) : sharp(frames, { join: { animated: true } });
  return input
    .toColourspace('b-w')
    .threshold(160)
    .tiff({
      compression: 'ccittfax4',
      bitdepth: 1,
      miniswhite: true,
      xres: pxPerMm(SCAN_DPI),
      yres: pxPerMm(standard ? SCAN_DPI / 2 : SCAN_DPI),
      resolutionUnit: 'inch',
    })
    .toBuffer();
}

async function drawTextPage(text: string, opts: { noise: boolean }): Promise<Buffer> {
  const { createCanvas, GlobalFonts } = await import('@napi-rs/canvas');
  if (!GlobalFonts.has(FONT_FAMILY)) GlobalFonts.registerFromPath(fixtureFontPath, FONT_FAMILY);
  const width = PAGE_IN.width * SCAN_DPI;
  const height = PAGE_IN.height * SCAN_DPI;
  const margin = MARGIN_IN * SCAN_DPI;
  const fontPx = Math.round((FONT_PT * SCAN_DPI) / 72);
  const leading = Math.round(fontPx * 1.35);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = opts.noise ? '#f2f1ec' : '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.font = `${fontPx}px ${FONT_FAMILY}`;
  ctx.textBaseline = 'top';
  const lines = wrapLines(text, width - 2 * margin, (s) => ctx.measureText(s).width);
  assertFits(lines.length * leading, height - 2 * margin);
  if (opts.noise) {
    // a scanner never feeds perfectly straight
    ctx.translate(width / 2, height / 2);
    ctx.rotate((0.4 * Math.PI) / 180);
    ctx.translate(-width / 2, -height / 2);
  }
  ctx.fillStyle = opts.noise ? '#1a1a1a' : '#000000';
  lines.forEach((line, i) => ctx.fillText(line, margin, margin + i * leading));
  if (opts.noise) speckle(ctx, width, height);
  return canvas.toBuffer('image/png');
}

function speckle(ctx: SKRSContext2D, width: number, height: number): void {
  const rand = mulberry32(0x5eed);
  ctx.resetTransform();
  for (let i = 0; i < 1500; i++) {
    const shade = Math.floor(60 + rand() * 120);
    ctx.fillStyle = `rgb(${shade},${shade},${shade})`;
    const size = rand() < 0.8 ? 1 : 2;
    ctx.fillRect(Math.floor(rand() * width), Math.floor(rand() * height), size, size);
  }
}

/** Deterministic PRNG so fixtures (and test results) are identical on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function wrapLines(text: string, maxWidth: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && measure(candidate) > maxWidth) {
        lines.push(line);
        line = word;
      } else {
        line = candidate;
      }
    }
    lines.push(line);
  }
  return lines;
}

function assertFits(used: number, available: number): void {
  if (used > available) throw new RangeError('fixture text does not fit on one page');
}

// pdf-lib's standard fonts only encode WinAnsi; map the usual typography, replace the rest.
export function toWinAnsi(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\n\t\x20-\x7e\xa0-\xff]/g, '?');
}
