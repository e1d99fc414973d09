import type { Box, RawOcr } from './orientation.ts';

/**
 * Tesseract TSV (level 5 rows are words; the CLI adds a header row, the API does not) →
 * text by line and paragraph, mean word confidence, word boxes for the reading direction.
 */
export function parseTsv(tsv: string): RawOcr {
  const lines = new Map<string, { par: string; words: string[]; boxes: Box[] }>();
  const confidences: number[] = [];
  for (const row of tsv.split('\n')) {
    const cols = row.split('\t');
    if (cols[0] !== '5' || cols.length < 12) continue;
    const [, , block, par, line, , left, top, width, height, conf] = cols.map(Number) as number[];
    const text = cols.slice(11).join('\t').trim();
    if (!text || conf === undefined || conf < 0) continue;
    const key = `${block}.${par}.${line}`;
    const entry = lines.get(key) ?? { par: `${block}.${par}`, words: [], boxes: [] };
    entry.words.push(text);
    entry.boxes.push({ x0: left!, y0: top!, x1: left! + width!, y1: top! + height!, chars: [...text].length });
    lines.set(key, entry);
    confidences.push(conf);
  }
  let text = '';
  let lastPar = '';
  for (const entry of lines.values()) {
    if (text) text += entry.par === lastPar ? '\n' : '\n\n';
    text += entry.words.join(' ');
    lastPar = entry.par;
  }
  const confidence = confidences.length ? confidences.reduce((a, b) => a + b, 0) / confidences.length : 0;
  return { text, confidence: Math.round(confidence), lines: [...lines.values()].map((l) => l.boxes) };
}
