import { describe, expect, it } from 'vitest';
import { parseTsv } from './tsv.ts';

const header = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
const word = (block: number, par: number, line: number, n: number, left: number, conf: number, text: string) =>
  `5\t1\t${block}\t${par}\t${line}\t${n}\t${left}\t10\t40\t20\t${conf}\t${text}`;

describe('parseTsv', () => {
  it('rebuilds lines and paragraphs and averages word confidence', () => {
    const tsv = [
      header,
      '1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t',
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
  });

  it('handles an empty page', () => {
    expect(parseTsv(header)).toEqual({ text: '', confidence: 0, lines: [] });
  });
});
