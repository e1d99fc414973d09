import type { ReferralFields } from '@triage/contracts';
import { describe, expect, it } from 'vitest';
import { nameKey, phoneKey, sameDiagnoses, sameIdentifiers, sameValue } from './field-compare.ts';
import { fieldCalibration, referredToRates, scoreField, statedPriorityRate, type ScoredDoc } from './field-metrics.ts';

const f = <T>(value: T, confidence = 0.9) => ({ value, confidence, evidence: [], source: 'text' as const });

describe('value comparison', () => {
  it('compares names without case, spacing, order, titles, post-nominals or initials', () => {
    expect(nameKey('Dr. Jane  SMITH, MD')).toBe(nameKey('smith, jane'));
    expect(sameValue('patientName', 'Jane A. Smith', 'SMITH, Jane')).toBe(true);
    expect(sameValue('referrerName', 'Jane Smith', 'Mrs Jane Smyth')).toBe(false);
    expect(sameValue('patientName', 'Ann Lee-Cole', 'ann lee cole')).toBe(true);
  });
  it('compares phones by digits (the national significant number)', () => {
    expect(phoneKey('+44 (0)1632 960123')).toBe('1632960123');
    expect(phoneKey('+44 1632 960 123')).toBe('1632960123');
    expect(phoneKey('01632 960123')).toBe('1632960123');
    expect(phoneKey('1-415-555-0132')).toBe('4155550132');
    expect(sameValue('referrerFax', '(415) 555-0132', '415.555.0132')).toBe(true);
    expect(sameValue('referrerFax', '(415) 555-0132', '415.555.0133')).toBe(false);
    expect(sameValue('referrerFax', '(415) 555-0132', '555-0132')).toBe(false);
  });
  it('dates exact ISO, referredTo by specialty, diagnoses by code set or text, identifiers as a set', () => {
    expect(sameValue('birthDate', '1958-05-04', '1958-05-04')).toBe(true);
    expect(sameValue('birthDate', '1958-05-04', '1958-04-05')).toBe(false);
    expect(sameValue('referredTo', { raw: 'fracture clinic', specialty: 'Orthopedic' }, { raw: 'Orthopaedics', specialty: 'Orthopedic' })).toBe(true);
    expect(sameValue('referredTo', { raw: 'ENT', specialty: 'ENT - Otolaryngology' }, { raw: 'ENT', specialty: null })).toBe(false);
    expect(sameDiagnoses([{ text: 'Atrial fibrillation', code: 'I48.91' }], [{ text: 'AF', code: 'i4891' }])).toBe(true);
    expect(sameDiagnoses([{ text: 'Allergic rhinitis' }], [{ text: 'allergic rhinitis, seasonal' }])).toBe(true);
    expect(sameDiagnoses([{ text: 'Allergic rhinitis' }], [{ text: 'asthma' }])).toBe(false);
    expect(sameIdentifiers([{ kind: 'nhs', value: '9991234567' }], [{ kind: 'mrn', value: 'K1' }, { kind: 'nhs', value: '999 123 4567' }])).toBe(true);
    expect(sameIdentifiers([{ kind: 'nhs', value: '9991234567' }], [])).toBe(false);
    expect(sameValue('reason', 'Chest pain on exertion', 'Reason: chest pain on exertion for 3 weeks')).toBe(true);
  });
});

describe('field scores', () => {
  // Four documents for patientPhone: right, wrong, returned-but-absent, correctly absent; one more missed.
  const docs: ScoredDoc[] = [
    { truth: { patientPhone: '020 7946 0001' }, unscored: [], predicted: { patientPhone: f('02079460001', 0.95) } },
    { truth: { patientPhone: '020 7946 0002' }, unscored: [], predicted: { patientPhone: f('020 7946 0009', 0.8) } },
    { truth: {}, unscored: [], predicted: { patientPhone: f('020 7946 0003', 0.3) } },
    { truth: {}, unscored: [], predicted: {} },
    { truth: { patientPhone: '020 7946 0004' }, unscored: [], predicted: {} },
    { truth: { patientPhone: '020 7946 0005' }, unscored: ['patientPhone'], predicted: {} },
  ];
  it('precision = correct / returned, recall = correct / present, accuracy counts correct absences', () => {
    const s = scoreField('patientPhone', docs);
    expect(s).toMatchObject({ docs: 5, returned: 3, present: 3, correct: 1, correctAbsent: 1 });
    expect(s.precision).toBeCloseTo(1 / 3);
    expect(s.recall).toBeCloseTo(1 / 3);
    expect(s.accuracy).toBeCloseTo(2 / 5);
    expect(scoreField('mrn', docs)).toMatchObject({ docs: 6, returned: 0, correctAbsent: 6, accuracy: 1 });
    expect(scoreField('mrn', docs).precision).toBeUndefined();
  });
  it('scores identifiers without the MRN, which has its own field', () => {
    const ids = (...kinds: Array<'mrn' | 'nhs'>) => f(kinds.map((kind) => ({ kind, value: kind === 'nhs' ? '9991234567' : 'K1' })));
    const rows: ScoredDoc[] = [
      { truth: {}, unscored: [], predicted: { identifiers: ids('mrn') } },
      { truth: { identifiers: [{ kind: 'nhs', value: '9991234567' }] }, unscored: [], predicted: { identifiers: ids('mrn', 'nhs') } },
    ];
    expect(scoreField('identifiers', rows)).toMatchObject({ returned: 1, present: 1, correct: 1, correctAbsent: 1, accuracy: 1 });
  });
  it('calibration: ECE over every returned value in 10 bins', () => {
    const c = fieldCalibration(docs);
    expect(c.n).toBe(3);
    // bins: 0.9–1.0 {0.95 right}, 0.8–0.9 {0.8 wrong}, 0.3–0.4 {0.3 wrong} → (0.05 + 0.8 + 0.3) / 3
    expect(c.ece).toBeCloseTo((0.05 + 0.8 + 0.3) / 3);
    expect(c.bins[9]).toMatchObject({ count: 1, accuracy: 1 });
    expect(fieldCalibration([]).ece).toBeUndefined();
  });
  it('rates referredTo among named clinics and statedPriority among stated ones', () => {
    const ent = { raw: 'ENT', specialty: 'ENT - Otolaryngology' };
    const rows: ScoredDoc[] = [
      { truth: { referredTo: ent, statedPriority: 'urgent' }, unscored: [], namedClinic: 'right', predicted: { referredTo: f(ent), statedPriority: f('urgent' as const) } },
      { truth: { referredTo: ent }, unscored: [], namedClinic: 'wrong', predicted: { referredTo: f({ raw: 'ENT', specialty: null }) } },
      { truth: { statedPriority: 'routine' }, unscored: [], namedClinic: 'none', predicted: { statedPriority: f('urgent' as const) } as ReferralFields },
    ];
    expect(referredToRates(rows)).toEqual({ named: { n: 2, right: 1, rate: 0.5 }, namedRight: { n: 1, right: 1, rate: 1 }, namedWrong: { n: 1, right: 0, rate: 0 } });
    expect(statedPriorityRate(rows)).toEqual({ n: 2, right: 1, rate: 0.5 });
  });
});
