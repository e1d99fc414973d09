import { describe, expect, it } from 'vitest';
import { maskStatements, statedReferral } from './stated.ts';

const ev = (page: number, start: number, end: number) => [{ page, start, end }];

describe('what the referrer stated', () => {
  it('takes the mapped clinic and the priority with their confidences', () => {
    expect(
      statedReferral({
        referredTo: { value: { raw: 'Cardiology', specialty: 'Cardiovascular / Pulmonary' }, confidence: 0.96, evidence: ev(1, 5, 15), source: 'text' },
        statedPriority: { value: 'urgent', confidence: 0.9, evidence: ev(1, 30, 38), source: 'text' },
      }),
    ).toEqual({ clinic: { specialty: 'Cardiovascular / Pulmonary', confidence: 0.96 }, priority: { value: 'urgent', confidence: 0.9 } });
    expect(statedReferral({ referredTo: { value: { raw: 'Some clinic', specialty: null }, confidence: 0.5, evidence: [], source: 'text' } })).toEqual({});
    expect(statedReferral(null)).toEqual({});
  });
  it('blanks the statements on their own page only, keeping every offset', () => {
    const pages = [
      { pageNo: 1, text: 'Dear Cardiology colleagues, please see urgently.' },
      { pageNo: 2, text: 'Cardiology follow-up.' },
    ];
    const masked = maskStatements(pages, {
      referredTo: { value: { raw: 'Cardiology', specialty: 'Cardiovascular / Pulmonary' }, confidence: 0.9, evidence: ev(1, 5, 15), source: 'text' },
      statedPriority: { value: 'urgent', confidence: 0.9, evidence: ev(1, 39, 47), source: 'text' },
    });
    expect(masked[0]).toBe('Dear            colleagues, please see         .');
    expect(masked[0]!.length).toBe(pages[0]!.text.length);
    expect(masked[1]).toBe(pages[1]!.text);
  });
});
