import { describe, expect, it } from 'vitest';
import { boxesByPage, boxStyle, formatValue, fromDraft, joinedSpans, toDraft } from './field-format.ts';
import { reasonChip, reasonText, segmentText } from './format.ts';
import type { Identifier } from './types.ts';

describe('formatValue', () => {
  it('writes objects the way a scheduler reads them', () => {
    expect(formatValue('patientName', 'Orrin Vantablack')).toEqual(['Orrin Vantablack']);
    expect(formatValue('referredTo', { raw: 'Cardiology', specialty: 'Cardiovascular / Pulmonary' })).toEqual(['Cardiology → Cardiovascular / Pulmonary']);
    expect(formatValue('referredTo', { raw: 'Dr Who clinic', specialty: null })).toEqual(['Dr Who clinic → no specialty']);
    expect(formatValue('identifiers', [{ kind: 'mrn', value: '4455123' }, { kind: 'nhs', value: '943 476 5919' }])).toEqual(['mrn: 4455123', 'nhs: 943 476 5919']);
    expect(formatValue('diagnoses', [{ code: 'I20.9', text: 'Angina' }, { text: 'breathless' }])).toEqual(['I20.9 Angina', 'breathless']);
  });
});

describe('drafts', () => {
  it('round-trips list fields through the editor text', () => {
    const ids: Identifier[] = [{ kind: 'mrn', value: '4455123' }, { kind: 'other', value: 'X-1' }];
    expect(fromDraft('identifiers', toDraft('identifiers', ids))).toEqual({ value: ids });
    const dx = [{ code: 'I20.9', text: 'Angina pectoris' }, { text: 'chest tightness on exertion' }];
    expect(fromDraft('diagnoses', toDraft('diagnoses', dx))).toEqual({ value: dx });
    expect(fromDraft('identifiers', { text: 'Medicare: 1EG4-TE5-MK73\n\n99887', specialty: '' })).toEqual({
      value: [{ kind: 'medicare', value: '1EG4-TE5-MK73' }, { kind: 'other', value: '99887' }],
    });
  });
  it('sends referredTo with its specialty (none: null), and refuses an empty value', () => {
    expect(fromDraft('referredTo', { text: ' Cardiac clinic ', specialty: '' })).toEqual({ value: { raw: 'Cardiac clinic', specialty: null } });
    expect(fromDraft('referredTo', toDraft('referredTo', { raw: 'ENT', specialty: 'ENT - Otolaryngology' }))).toEqual({
      value: { raw: 'ENT', specialty: 'ENT - Otolaryngology' },
    });
    expect(fromDraft('birthDate', { text: '  ', specialty: '' })).toHaveProperty('error');
    // Format rules are the API's: the editor passes the text on as typed.
    expect(fromDraft('birthDate', { text: '04/05/1958', specialty: '' })).toEqual({ value: '04/05/1958' });
  });
});

describe('evidence', () => {
  const pages = [
    { pageNo: 1, start: 0, end: 20 },
    { pageNo: 2, start: 30, end: 50 },
  ];
  it('maps per-page offsets into the joined text, dropping what falls outside', () => {
    expect(
      joinedSpans(
        [
          { page: 1, start: 3, end: 8 },
          { page: 2, start: 0, end: 5 },
          { page: 2, start: 15, end: 99 },
          { page: 3, start: 0, end: 2 },
          { page: 1, start: 25, end: 30 },
        ],
        pages,
      ),
    ).toEqual([
      { start: 3, end: 8 },
      { start: 30, end: 35 },
      { start: 45, end: 50 },
    ]);
  });
  it('marks the field span in the text segments alongside model evidence', () => {
    const text = 'Re: Mr Orrin Vantablack, DOB';
    const [page] = segmentText(text, [{ pageNo: 1, start: 0, end: text.length }], [], [], [{ start: 7, end: 23 }]);
    expect(page!.segments.filter((s) => s.focus).map((s) => text.slice(s.start, s.end))).toEqual(['Orrin Vantablack']);
  });
  it('scales boxes as percentages of the OCR image', () => {
    const byPage = boxesByPage([{ page: 2, start: 0, end: 1, box: { x0: 100, y0: 50, x1: 300, y1: 100 } }, { page: 1, start: 0, end: 1 }]);
    expect([...byPage.keys()]).toEqual([2]);
    expect(boxStyle(byPage.get(2)![0]!, { imageWidth: 1000, imageHeight: 2000 })).toEqual({ left: '10%', top: '2.5%', width: '20%', height: '2.5%' });
  });
});

describe('reasons about fields', () => {
  it('names the missing field', () => {
    expect(reasonText('missing_information:insuranceMemberId')).toBe('Missing: Insurance member ID');
    expect(reasonChip('conflicting:birthDate')).toBe('conflicting date of birth');
  });
});
