import { describe, expect, it } from 'vitest';
import { mapName, nameTokens } from './acroform-reader.ts';
import { extractFields } from './extract.ts';
import { CLINICS, TODAY, plain, problems } from './testing.ts';
import type { AcroField } from './types.ts';

const slotOf = (name: string) => {
  const m = mapName(nameTokens(name).tokens);
  return m && `${m.entry.slot}/${m.section}`;
};

describe('AcroForm field names', () => {
  it('normalises paths, camelCase, separators and widget prefixes', () => {
    expect(nameTokens('form1[0].page1[0].ReferringDr[0]').tokens).toEqual(['referring', 'dr']);
    expect(nameTokens('chkUrgent')).toEqual({ tokens: ['urgent'], checkbox: true });
    expect(nameTokens('txtPatient_DOB2').tokens).toEqual(['patient', 'dob']);
    expect(nameTokens('ProviderNPI').tokens).toEqual(['provider', 'npi']);
  });
  it('maps fuzzy names onto the label table, with the section their first word gives', () => {
    expect(slotOf('Patient Name')).toBe('patientName/patient');
    expect(slotOf('patient_dob')).toBe('birthDate/patient');
    expect(slotOf('ReferringDr')).toBe('referrerName/referrer');
    expect(slotOf('RefPhone')).toBe('referrerPhone/referrer');
    expect(slotOf('pt_phone')).toBe('patientPhone/patient');
    expect(slotOf('ReferringFax')).toBe('referrerFax/referrer');
    expect(slotOf('physicianAddress')).toBe('address/referrer');
    expect(slotOf('InsMemberID')).toBe('memberId/insurance');
    expect(slotOf('Specialty')).toBe('referredTo/target');
    expect(slotOf('Signature1')).toBe('provider/none');
    expect(slotOf('Button3')).toBeNull();
  });
});

const FIELDS: AcroField[] = [
  { name: 'Patient Name', page: 1, kind: 'text', value: 'Odile Fernsby' },
  { name: 'patient_dob', page: 1, kind: 'text', value: '02/28/1990' },
  { name: 'Sex', page: 1, kind: 'radio', value: 'F', options: ['M', 'F'] },
  { name: 'pt_phone', page: 1, kind: 'text', value: '(555) 201-7788' },
  { name: 'ReferringDr', page: 1, kind: 'text', value: 'Dr. Nancy Bellweather' },
  { name: 'ProviderNPI', page: 1, kind: 'text', value: '1234567893' },
  { name: 'ReferringFax', page: 1, kind: 'text', value: '555-201-9000' },
  { name: 'chkUrgent', page: 1, kind: 'checkbox', value: 'Yes', checked: true },
  { name: 'chkRoutine', page: 1, kind: 'checkbox', value: null, checked: false },
  { name: 'form1[0].Specialty[0]', page: 1, kind: 'dropdown', value: 'Neurology', options: ['Cardiology', 'Neurology'] },
  { name: 'Reason', page: 1, kind: 'text', value: 'Recurrent migraine with aura, failed two preventives.' },
  { name: 'Button3', page: 1, kind: 'other', value: null },
];

describe('an AcroForm referral', () => {
  const input = { pages: [plain('REFERRAL FORM\nPatient Name:\nDate of birth:\nSex:   M   F\nReason:\n')], acroform: FIELDS, clinics: CLINICS, today: TODAY };
  const r = extractFields(input);
  const f = r.fields;

  it('reads every mapped field with source acroform', () => {
    expect(problems(r, input)).toEqual([]);
    expect(f.patientName).toMatchObject({ value: 'Odile Fernsby', source: 'acroform' });
    expect(f.birthDate).toMatchObject({ value: '1990-02-28', source: 'acroform' });
    expect(f.sex).toMatchObject({ value: 'female', source: 'acroform' });
    expect(f.patientPhone?.value).toBe('(555) 201-7788');
    expect(f.referrerName?.value).toBe('Nancy Bellweather');
    expect(f.referrerNpi?.value).toBe('1234567893');
    expect(f.referrerFax?.value).toBe('555-201-9000');
    expect(f.referredTo?.value).toEqual({ raw: 'Neurology', specialty: 'Neurology' });
    expect(f.reason?.value).toBe('Recurrent migraine with aura, failed two preventives.');
    expect(f.patientName!.confidence).toBeGreaterThan(0.9);
  });

  it('takes a ticked checkbox and ignores an unticked one', () => {
    expect(f.statedPriority).toMatchObject({ value: 'urgent', source: 'acroform' });
    expect(f.statedPriority?.conflicts).toBeUndefined();
  });

  it('points at the text layer when the value is printed there', () => {
    const printed = { ...input, pages: [plain('Patient Name: Odile Fernsby')] };
    const e = extractFields(printed).fields.patientName!.evidence;
    expect(e).toHaveLength(1);
    expect('Patient Name: Odile Fernsby'.slice(e[0]!.start, e[0]!.end)).toBe('Odile Fernsby');
  });

  it('validates AcroForm values like typed ones', () => {
    const bad = extractFields({ ...input, acroform: [{ name: 'NPI', page: 1, kind: 'text', value: '1234567890' }, { name: 'DOB', page: 1, kind: 'text', value: '13/45/1990' }] }).fields;
    expect(bad.referrerNpi!.confidence).toBeLessThanOrEqual(0.3);
    expect(bad.birthDate).toBeUndefined();
  });
});
