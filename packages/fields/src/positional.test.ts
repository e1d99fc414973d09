import { describe, expect, it } from 'vitest';
import { unwrapped } from './doc.ts';
import { extractFields } from './extract.ts';
import { scanLine } from './label-scan.ts';
import { CLINICS, TODAY, problems } from './testing.ts';
import type { OcrWord, PageInput } from './types.ts';

/** A text-layer page with word boxes, as a born-digital PDF read by position gives it: [text, x] cells per row, 6 pt a character. */
function pdfPage(rows: [string, number][][], opts: { pitch?: number } = {}): PageInput {
  let text = '';
  const words: OcrWord[] = [];
  rows.forEach((cells, r) => {
    if (r > 0) text += '\n';
    let lineX = 0;
    cells.forEach(([cell, x], c) => {
      if (c > 0) {
        const n = Math.max(2, Math.round((x - lineX) / 6));
        text += ' '.repeat(n);
      }
      for (const m of cell.matchAll(/\S+/g)) {
        const start = text.length + m.index;
        const wx = x + m.index * 6;
        words.push({ start, end: start + m[0].length, box: { x0: wx, y0: 72 + r * (opts.pitch ?? 15), x1: wx + m[0].length * 6, y1: 72 + r * (opts.pitch ?? 15) + 12 } });
      }
      text += cell;
      lineX = x + cell.length * 6;
    });
  });
  return { pageNo: 1, text, source: 'text-layer', words, width: 612 };
}

const read = (page: PageInput) => {
  const input = { pages: [page], clinics: CLINICS, today: TODAY };
  const r = extractFields(input);
  expect(problems(r, input)).toEqual([]);
  return r.fields;
};

describe('a born-digital page read by position', () => {
  it('reads values that sit below their labels in two columns', () => {
    const f = read(
      pdfPage([
        [['OUTPATIENT REFERRAL', 200]],
        [['Patient name', 72], ['Date of birth', 330]],
        [['Quillon Ashdown', 72], ['03/17/1958', 330]],
        [['Referring physician', 72], ['NPI', 330]],
        [['Dr Miriam Oakes', 72], ['1234567893', 330]],
      ]),
    );
    expect(f.patientName?.value).toBe('Quillon Ashdown');
    expect(f.birthDate?.value).toBe('1958-03-17');
    expect(f.referrerName?.value).toBe('Miriam Oakes');
    expect(f.referrerNpi?.value).toBe('1234567893');
    // The evidence carries the value's box on the page.
    expect(f.patientName?.evidence[0]?.box).toMatchObject({ x0: 72, y0: 102 });
  });

  it('joins a line wrapped at the right margin, and only such a line', () => {
    const long = 'Re: Ms Quillon Ashdown, DOB 17/03/1958, NHS No. 999 786';
    const page = pdfPage([
      [[long, 72]],
      [['0810', 72]],
      [['Thank you for seeing this lady who has had chest pain', 72]],
      [['on exertion for three weeks, worse on hills and cold', 72]],
      [['Sex: F', 72]],
    ]);
    const t = unwrapped(page.text, page.words!, page.width);
    expect(t.length).toBe(page.text.length);
    const lines = t.split('\n');
    expect(lines[0]).toBe(`${long} 0810`);
    // "Sex:" is a label: a new field, not the paragraph running on.
    expect(lines[lines.length - 1]).toBe('Sex: F');
    expect(read(page).identifiers?.value.map((i) => [i.kind, i.value.replace(/\s/g, '')])).toEqual([['nhs', '9997860810']]);
  });

  it('leaves a page of short lines (no margin they reach) as it is', () => {
    const page = pdfPage([[['Name: Quillon Ashdown', 72]], [['Ward 4 bed 2', 72]], [['DOB: 17/03/1958', 72]]]);
    expect(unwrapped(page.text, page.words!, page.width)).toBe(page.text);
  });
});

describe('labels after a value on one line (a collapsed column gap)', () => {
  it('takes a capitalised common label with a colon as a new cell', () => {
    const segs = scanLine('Name: Dr Miriam Oakes Organization: Elm Street Surgery', false);
    expect(segs.map((s) => s.entry.slot)).toEqual(['name', 'organization']);
    expect(segs[0]!.valueEnd).toBe('Name: Dr Miriam Oakes'.length);
    expect(scanLine('Insurance: Aetna ID: W123456789', false).map((s) => s.entry.slot)).toContain('id');
  });
  it('does not take a lower-case word in prose for one', () => {
    expect(scanLine('She saw the practice nurse and the organization: it was closed.', false).map((s) => s.entry.slot)).not.toContain('organization');
  });
});
