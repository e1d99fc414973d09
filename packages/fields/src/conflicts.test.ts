import { describe, expect, it } from 'vitest';
import { extractFields, FIELDS_VERSION } from './extract.ts';
import { CLINICS, TODAY, plain, problems } from './testing.ts';
import type { PageInput } from './types.ts';

const read = (...pages: PageInput[]) => {
  const input = { pages, clinics: CLINICS, today: TODAY };
  const r = extractFields(input);
  expect(problems(r, input)).toEqual([]);
  return r;
};

describe('conflicts', () => {
  it('keeps one of two different birth dates and lists the other, at low confidence', () => {
    const f = read(plain('Patient: Jane Dorrance   DOB: 04/05/1958\nReferred by: Dr Amy Linwood\n\nNotes: date of birth: 12/01/1960, please check.')).fields;
    expect(f.birthDate?.value).toBe('1958-04-05');
    expect(f.birthDate?.conflicts).toEqual(['1960-12-01']);
    expect(f.birthDate!.confidence).toBeLessThanOrEqual(0.5);
    expect(f.birthDate!.evidence).toHaveLength(1);
  });

  it('does not call one value written two ways a conflict', () => {
    const f = read(
      plain(`Re: JOHN SMITHERS, DOB 4 May 1958
Patient name: John Smithers   Date of birth: 05/04/1958   Phone: (555) 201-3344
Contact number: 555.201.3344`),
    ).fields;
    // 05/04/1958 could be 4 May or April 5: the written-out date settles it.
    expect(f.birthDate?.value).toBe('1958-05-04');
    expect(f.birthDate?.conflicts).toBeUndefined();
    expect(f.birthDate!.confidence).toBeGreaterThan(0.9);
    expect(f.patientName?.conflicts).toBeUndefined();
    expect(f.patientName!.evidence.length).toBeGreaterThanOrEqual(2);
    expect(f.patientPhone?.conflicts).toBeUndefined();
    expect(f.patientPhone!.evidence).toHaveLength(2);
  });

  it('flags a ticked priority that the letter contradicts', () => {
    const f = read(plain('Priority: [X] Routine [ ] Urgent\n\nDear Urology team, please see this man urgently: visible haematuria.\nDr P. Grantham')).fields;
    expect(f.statedPriority?.conflicts).toHaveLength(1);
    expect([f.statedPriority!.value, ...f.statedPriority!.conflicts!].sort()).toEqual(['routine', 'urgent']);
    expect(f.statedPriority!.confidence).toBeLessThanOrEqual(0.5);
  });

  it('lets a labelled sex overrule a guess from a title, without a conflict', () => {
    const f = read(plain('Re: Mx Sam Okoro\nSex: Male\nPlease see.')).fields;
    expect(f.sex?.value).toBe('male');
    expect(f.sex?.conflicts).toBeUndefined();
  });

  it('reads evidence on the page the value is on', () => {
    const f = read(plain('Dear Neurology colleagues,\nRe: Ms Tova Lindqvist'), plain('Page 2\nNPI: 1234567893', 2)).fields;
    expect(f.referrerNpi!.evidence[0]!.page).toBe(2);
    expect(f.patientName!.evidence[0]!.page).toBe(1);
  });
});

describe('validation lowers confidence or drops the value', () => {
  it('keeps an NPI with a failed check digit only at low confidence', () => {
    const f = read(plain('Referring physician: Dr Paul Grantham\nNPI: 1234567890')).fields;
    expect(f.referrerNpi?.value).toBe('1234567890');
    expect(f.referrerNpi!.confidence).toBeLessThanOrEqual(0.3);
    expect(read(plain('NPI: 1234567893')).fields.referrerNpi!.confidence).toBeGreaterThan(0.9);
  });

  it('drops impossible or future birth dates and scores a short phone low', () => {
    const f = read(plain('Patient: Ola Brandt\nDOB: 31/02/1990\nPhone: 555-12')).fields;
    expect(f.birthDate).toBeUndefined();
    expect(f.patientPhone!.confidence).toBeLessThanOrEqual(0.3);
    expect(read(plain('DOB: 03/03/2031')).fields.birthDate).toBeUndefined();
    expect(read(plain('DOB: 03/03/1888')).fields.birthDate).toBeUndefined();
  });

  it('lowers a birth date that does not fit the stated age', () => {
    const fits = read(plain('Re: Mr Lou Abernethy, DOB 14/02/1950\nThis 74-year-old man has angina.')).fields.birthDate!;
    const misfit = read(plain('Re: Mr Lou Abernethy, DOB 14/02/1990\nThis 74-year-old man has angina.')).fields.birthDate!;
    expect(misfit.confidence).toBeLessThan(fits.confidence * 0.8);
  });

  it('is more sure of an explicit label than of a value inferred from prose', () => {
    const labelled = read(plain('Patient name: Vera Lindgren')).fields.patientName!;
    const inferred = read(plain('Dear Dr Oduya,\nI would be grateful if you could see Mrs Vera Lindgren who has a cough.\nDr K. Amadi')).fields.patientName!;
    expect(labelled.value).toBe(inferred.value);
    expect(labelled.confidence).toBeGreaterThan(inferred.confidence);
  });
});

describe('the result', () => {
  it('carries the rules version and the clinic table version', () => {
    const r = read(plain('Refer to: Cardiology'));
    expect(r.version).toBe(FIELDS_VERSION);
    expect(FIELDS_VERSION).toBe('fields-1.1.0');
    expect(r.clinicsVersion).toBe(CLINICS.version);
  });
  it('is empty for a page with nothing to read', () => {
    expect(read(plain('')).fields).toEqual({});
    expect(read(plain('Knee pain for two years. X-ray shows arthritis.')).fields.patientName).toBeUndefined();
  });
});
