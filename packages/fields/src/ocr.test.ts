import { describe, expect, it } from 'vitest';
import { extractFields } from './extract.ts';
import { CLINICS, TODAY, ocrPage, ocrText, plain, problems } from './testing.ts';
import type { PageInput } from './types.ts';

const read = (page: PageInput) => {
  const input = { pages: [page], clinics: CLINICS, today: TODAY };
  const r = extractFields(input);
  expect(problems(r, input)).toEqual([]);
  return r.fields;
};

// A scanned form: labels on one row, the handwritten or typed values on the row below at the same x.
const SCAN = ocrPage(
  [
    [['REFERRAL FORM', 300]],
    [['Patient Name', 100], ['Date of Birth', 500], ['MRN', 800]],
    [['Robart Quenby', 100], ['O8/14/1962', 500], ['KX77812', 800]],
    [['Referring Physician', 100], ['NPI', 500]],
    [['Dr Susan Millward', 100], ['1234567893', 500]],
    [['Reason for referral', 100]],
    [['Worsening shortness of breath on exertion', 100]],
    [['for three months, now at 50 yards', 100]],
  ],
  1,
  92,
);

describe('an OCR page', () => {
  it('reads values that sit below their labels by the word boxes', () => {
    const f = read(SCAN);
    expect(f.patientName).toMatchObject({ value: 'Robart Quenby', source: 'ocr-layout' });
    expect(f.birthDate).toMatchObject({ value: '1962-08-14', source: 'ocr-layout' });
    expect(f.mrn?.value).toBe('KX77812');
    expect(f.referrerName?.value).toBe('Susan Millward');
    expect(f.referrerNpi?.value).toBe('1234567893');
    expect(f.reason?.value).toBe('Worsening shortness of breath on exertion for three months, now at 50 yards');
  });

  it("gives every evidence the union box of the value's words", () => {
    const f = read(SCAN);
    const name = SCAN.words!.filter((w) => /Robart|Quenby/.test(SCAN.text.slice(w.start, w.end)));
    expect(f.patientName!.evidence[0]!.box).toEqual({ x0: name[0]!.box.x0, y0: name[0]!.box.y0, x1: name[1]!.box.x1, y1: name[1]!.box.y1 });
    for (const field of Object.values(f)) for (const e of field.evidence) expect(e.box).toBeDefined();
  });

  it('does not take the next column for a value, nor a label for a value', () => {
    const page = ocrPage([
      [['Patient Name', 100], ['Date of Birth', 500]],
      [['Sex', 100], ['Phone', 500]],
    ]);
    const f = read(page);
    expect(f.patientName).toBeUndefined();
    expect(f.birthDate).toBeUndefined();
  });

  it('reads values to the right of labels through OCR errors (0/O, 1/l, lost colons)', () => {
    const page = ocrText(`REFERRAL REQUEST
Pt Name MARY J0NESBURY   D0B O3/O4/197O
Sex F   Phone 555 4O1 2277
Referred by Dr Ahmed Razavi   NPl 1234567893
Specia1ty requested Rheumato1ogy
Reason for referral swollen painful hands, morning stiffness 2 hrs`);
    const f = read(page);
    expect(f.patientName?.value).toBe('MARY JONESBURY');
    expect(f.birthDate?.value).toBe('1970-03-04');
    expect(f.sex?.value).toBe('female');
    expect(f.patientPhone?.value).toBe('555 401 2277');
    expect(f.referrerName?.value).toBe('Ahmed Razavi');
    expect(f.referrerNpi?.value).toBe('1234567893');
    expect(f.referredTo?.value.specialty).toBe('Rheumatology');
    expect(f.reason?.value).toMatch(/^swollen painful hands/);
  });

  it('is a little less sure of a scan than of the same words typed', () => {
    const rows: [string, number][][] = [[['Patient Name: Robart Quenby', 100]], [['DOB: 08/14/1962', 100]]];
    const scanned = read(ocrPage(rows, 1, 80));
    const typed = read(plain('Patient Name: Robart Quenby\nDOB: 08/14/1962'));
    expect(scanned.patientName?.value).toBe(typed.patientName?.value);
    expect(scanned.patientName!.confidence).toBeLessThan(typed.patientName!.confidence);
    expect(scanned.birthDate!.confidence).toBeLessThan(typed.birthDate!.confidence);
  });
});
