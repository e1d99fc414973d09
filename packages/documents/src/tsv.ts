import type { Box, RawOcr } from './orientation.ts';
import type { OcrWord } from './types.ts';

type TsvWord = { text: string; box: Box; confidence: number };

/**
 * Tesseract TSV (level 1 is the page, level 5 rows are words; the CLI adds a header row, the
 * API does not) → text by line and paragraph, each word's offsets in that text and its box,
 * mean word confidence, word boxes per line for the reading direction, and the image size.
 */
export function parseTsv(tsv: string): RawOcr {
  const lines = new Map<string, { par: string; words: TsvWord[] }>();
  let imageWidth = 0;
  let imageHeight = 0;
  for (const row of tsv.split('\n')) {
    const cols = row.split('\t');
    if (cols.length < 12) continue;
    if (cols[0] === '1' && imageWidth === 0) {
      imageWidth = Number(cols[8]) || 0;
      imageHeight = Number(cols[9]) || 0;
      continue;
    }
    if (cols[0] !== '5') continue;
    const [, , block, par, line, , left, top, width, height, conf] = cols.map(Number) as number[];
    const text = cols.slice(11).join('\t').trim();
    if (!text || conf === undefined || !(conf >= 0)) continue;
    const key = `${block}.${par}.${line}`;
    const entry = lines.get(key) ?? { par: `${block}.${par}`, words: [] };
    entry.words.push({ text, box: { x0: left!, y0: top!, x1: left! + width!, y1: top! + height!, chars: [...text].length }, confidence: conf });
    lines.set(key, entry);
  }
  // Offsets are taken while the text is joined, so they cannot drift from it.
  let text = '';
  let lastPar = '';
  const words: OcrWord[] = [];
  let confidenceSum = 0;
  for (const entry of lines.values()) {
    if (text) text += entry.par === lastPar ? '\n' : '\n\n';
    entry.words.forEach((w, i) => {
      if (i > 0) text += ' ';
      const { x0, y0, x1, y1 } = w.box;
      words.push({ start: text.length, end: text.length + w.text.length, box: { x0, y0, x1, y1 }, confidence: Math.round(w.confidence * 10) / 10 });
      text += w.text;
      confidenceSum += w.confidence;
    });
    lastPar = entry.par;
  }
  const confidence = words.length ? confidenceSum / words.length : 0;
  return {
    text,
    confidence: Math.round(confidence),
    lines: [...lines.values()].map((l) => l.words.map((w) => w.box)),
    words,
    imageWidth,
    imageHeight,
  };
}
