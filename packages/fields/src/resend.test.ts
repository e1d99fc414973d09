import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ReferralFields } from '@triage/contracts';
import { bandsOf, fingerprintKey, pageSignature, similarity, type PageSignature } from './fingerprint.ts';
import { classifyResend, compareIdentity } from './resend.ts';

const key = fingerprintKey('k1', randomBytes(32));
const letter = (name: string, extra = '') =>
  `Dear Cardiology colleagues, Re: ${name}, DOB 04/05/1958. I would be grateful if you could see this 66-year-old man with a three-week ` +
  `history of exertional chest tightness radiating to the left arm, worse on stairs and relieved by rest. ECG today shows ST depression ` +
  `in V4-V6. He has hypertension and type 2 diabetes, and is on metformin and ramipril. ${extra} Please see urgently. Dr A. Patel, Riverside Family Practice.`;
const other = 'Thank you for seeing this lady with a painful swollen right knee after a fall while skiing last week; the MRI shows a complete tear of the anterior cruciate ligament and she would like to discuss reconstruction with the orthopaedic team.';
const sig = (pageNo: number, text: string) => pageSignature(key, pageNo, text)!;
const f = (v: Record<string, string>): ReferralFields =>
  Object.fromEntries(Object.entries(v).map(([k, value]) => [k, { value, confidence: 0.9, evidence: [], source: 'text' }])) as ReferralFields;
const john = f({ patientName: 'John Smith', birthDate: '1958-05-04' });

/** A rescan: a few words misread, as OCR does. */
const misread = (t: string) => t.replace('exertional', 'exertlonal').replace('radiating', 'radiatinq').replace('metformin', 'metforrnin');

describe('page fingerprints', () => {
  it('finds a rescanned page near-identical and a different letter unlike', () => {
    const a = sig(1, letter('Mr John Smith'));
    expect(similarity(a.signature, sig(1, misread(letter('Mr John Smith'))).signature)).toBeGreaterThanOrEqual(0.8);
    expect(similarity(a.signature, sig(1, other).signature)).toBeLessThan(0.2);
    expect(bandsOf(a.signature).filter((b, i) => b === bandsOf(sig(1, misread(letter('Mr John Smith'))).signature)[i]).length).toBeGreaterThan(0);
  });

  it('depends on the key: another key gives unrelated signatures', () => {
    const other = fingerprintKey('k2', randomBytes(32));
    expect(similarity(sig(1, letter('X')).signature, pageSignature(other, 1, letter('X'))!.signature)).toBeLessThan(0.2);
  });

  it('skips pages with too few words to tell apart', () => {
    expect(pageSignature(key, 1, 'FAX cover sheet page 1 of 3')).toBeNull();
  });

  it('gives bands that fit a signed 64-bit integer', () => {
    for (const b of bandsOf(sig(1, other).signature)) expect(BigInt(b) < 2n ** 63n && BigInt(b) >= -(2n ** 63n)).toBe(true);
  });
});

describe('classifyResend', () => {
  const first: PageSignature[] = [sig(1, letter('Mr John Smith'))];
  it('a rescan of the same letter for the same patient is a duplicate', () => {
    const m = classifyResend({ next: [sig(1, misread(letter('Mr John Smith')))], first, nextFields: john, firstFields: john, sameExternalId: false });
    expect(m).toMatchObject({ kind: 'duplicate', identityConfirmed: true, pages: { same: [1], changed: [], added: [], removed: [] } });
  });

  it('the same letter with a page added is an amendment', () => {
    const m = classifyResend({ next: [sig(1, letter('Mr John Smith')), sig(2, other)], first, nextFields: john, firstFields: john, sameExternalId: false });
    expect(m).toMatchObject({ kind: 'amendment', pages: { same: [1], added: [2] } });
  });

  it('the same template for another patient is a new referral', () => {
    const jane = f({ patientName: 'Jane Doe', birthDate: '1971-02-03' });
    expect(classifyResend({ next: [sig(1, letter('Mrs Jane Doe'))], first, nextFields: jane, firstFields: john, sameExternalId: false })).toBeNull();
  });

  it('a changed stated priority makes it a correction, never a duplicate to close', () => {
    const routine = { ...john, statedPriority: { value: 'routine', confidence: 0.9, evidence: [], source: 'text' } } as ReferralFields;
    const urgent = { ...john, statedPriority: { value: 'urgent', confidence: 0.9, evidence: [], source: 'text' } } as ReferralFields;
    const m = classifyResend({ next: [sig(1, letter('Mr John Smith'))], first, nextFields: urgent, firstFields: routine, sameExternalId: false });
    expect(m).toMatchObject({ kind: 'correction', changedFields: ['statedPriority'] });
  });

  it('a corrected date of birth on the same letter is a correction', () => {
    const m = classifyResend({ next: [sig(1, letter('Mr John Smith'))], first, nextFields: { ...john, ...f({ birthDate: '1958-04-05' }) }, firstFields: john, sameExternalId: false });
    expect(m).toMatchObject({ kind: 'correction', identityConfirmed: false, changedFields: ['birthDate'] });
  });

  it('an unrelated letter is not a resend unless the sender gave the same id', () => {
    const input = { next: [sig(1, other)], first, nextFields: john, firstFields: john };
    expect(classifyResend({ ...input, sameExternalId: false })).toBeNull();
    expect(classifyResend({ ...input, sameExternalId: true })).toMatchObject({ kind: 'correction', pages: { added: [1], removed: [1] } });
  });

  it('without a patient on either side a duplicate is not confirmed', () => {
    const m = classifyResend({ next: [sig(1, letter('Mr John Smith'))], first, nextFields: {}, firstFields: {}, sameExternalId: false });
    expect(m).toMatchObject({ kind: 'duplicate', identityConfirmed: false });
  });

  it('compares names whatever their order and case', () => {
    expect(compareIdentity(f({ patientName: 'SMITH, John' }), f({ patientName: 'John Smith' }))).toEqual({ agree: 1, conflict: [] });
  });
});
