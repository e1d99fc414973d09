import { describe, expect, it } from 'vitest';
import { parseTsv } from './tsv.ts';

const header = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
const pageRow = '1\t1\t0\t0\t0\t0\t0\t0\t1700\t2200\t-1\t';
const word = (block: number, par: number, line: number, n: number, left: number, conf: number, text: string) =>
  `5\t1\t${block}\t${par}\t${line}\t${n}\t${left}\t10\t40\t20\t${conf}\t${text}`;

describe('parseTsv', () => {
  it('rebuilds lines and paragraphs and averages word confidence', () => {
    const tsv = [
      header,
      pageRow,
      word(1, 1, 1, 1, 0, 90, 'Dear'),
      word(1, 1, 1, 2, 50, 80, 'Dr'),
      word(1, 1, 2, 1, 0, 70, 'Smith,'),
      word(1, 2, 1, 1, 0, 96, 'Thanks.'),
    ].join('\n');
    const r = parseTsv(tsv);
    expect(r.text).toBe('Dear Dr\nSmith,\n\nThanks.');
    expect(r.confidence).toBe(84);
    expect(r.lines[0]).toEqual([
      { x0: 0, y0: 10, x1: 40, y1: 30, chars: 4 },
      { x0: 50, y0: 10, x1: 90, y1: 30, chars: 2 },
    ]);
    expect([r.imageWidth, r.imageHeight]).toEqual([1700, 2200]);
  });

  it('gives each word its offsets in the text, its box and its confidence', () => {
    const tsv = [
      pageRow,
      word(1, 1, 1, 1, 0, 90.456, 'Dear'),
      word(1, 1, 1, 2, 50, 80, 'Dr'),
      word(1, 1, 2, 1, 0, 70, 'Smith,'),
      word(1, 2, 1, 1, 0, 96, 'Thanks.'),
      word(2, 1, 1, 1, 0, 88, 'Zoë'),
    ].join('\n');
    const r = parseTsv(tsv);
    expect(r.words.map((w) => r.text.slice(w.start, w.end))).toEqual(['Dear', 'Dr', 'Smith,', 'Thanks.', 'Zoë']);
    expect(r.words.map((w) => w.start)).toEqual([0, 5, 8, 16, 25]);
    // no `chars`: the box is exactly the contract's shape
    expect(r.words[1]).toEqual({ start: 5, end: 7, box: { x0: 50, y0: 10, x1: 90, y1: 30 }, confidence: 80 });
    expect(r.words[0]!.confidence).toBe(90.5);
  });

  it('leaves out empty and unscored words without shifting the offsets of the rest', () => {
    const tsv = [
      word(1, 1, 1, 1, 0, 90, 'one'),
      word(1, 1, 1, 2, 50, -1, 'ghost'),
      word(1, 1, 1, 3, 60, 90, '   '),
      word(1, 1, 1, 4, 70, 90, 'two\r'),
    ].join('\n');
    const r = parseTsv(tsv);
    expect(r.text).toBe('one two');
    expect(r.words.map((w) => [w.start, w.end])).toEqual([
      [0, 3],
      [4, 7],
    ]);
  });

  it('handles an empty page', () => {
    expect(parseTsv(`${header}\n${pageRow}\n`)).toEqual({ text: '', confidence: 0, lines: [], words: [], imageWidth: 1700, imageHeight: 2200 });
    expect(parseTsv('')).toMatchObject({ text: '', words: [], imageWidth: 0, imageHeight: 0 });
  });
});
