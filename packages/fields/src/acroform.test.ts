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

describe('AcroForm groups, notes and the printed template', () => {
  const read = (fields: AcroField[], text = '') => {
    const pages = text ? [{ pageNo: 1, text, source: 'text-layer' as const }] : [];
    const input = { pages, acroform: fields, clinics: CLINICS, today: TODAY };
    const r = extractFields(input);
    expect(problems(r, input)).toEqual([]);
    return r.fields;
  };

  it('maps names by their words in any order ("ReasonReferral", "DxIcd10", "refer.to")', () => {
    expect(slotOf('ReasonReferral')).toBe('reason/clinical');
    expect(slotOf('referral_reason')).toBe('reason/clinical');
    expect(slotOf('DxIcd10')).toBe('diagnosis/clinical');
    expect(slotOf('refer.to')).toBe('referredTo/target');
    expect(slotOf('patient.phone')).toBe('patientPhone/patient');
    expect(slotOf('PatientEmail')).not.toMatch(/^patientName/);
  });

  it('reads a priority from a checkbox group by its option, not by the word "priority"', () => {
    const boxes = (ticked: string): AcroField[] =>
      ['Stat', 'Urgent', 'Routine'].map((o) => ({ name: `Priority${o}`, page: 1, kind: 'checkbox', value: o === ticked ? 'Yes' : null, checked: o === ticked }));
    expect(read(boxes('Routine')).statedPriority?.value).toBe('routine');
    expect(read(boxes('Stat')).statedPriority?.value).toBe('emergent');
    expect(read([{ name: 'urg_urgent', page: 1, kind: 'checkbox', value: 'Yes', checked: true }]).statedPriority?.value).toBe('urgent');
  });

  it('reads a priority radio group by its selected option', () => {
    const f = read([{ name: 'Priority', page: 1, kind: 'radio', value: 'Routine', options: ['Emergency', 'Urgent', 'Routine'] }]);
    expect(f.statedPriority).toMatchObject({ value: 'routine', source: 'acroform' });
  });

  it('does not read the printed labels beside empty boxes as the referral\'s priority', () => {
    const fields: AcroField[] = [
      { name: 'PatientName', page: 1, kind: 'text', value: 'Quillon Ashdown' },
      { name: 'PriorityUrgent', page: 1, kind: 'checkbox', value: null, checked: false },
      { name: 'PriorityRoutine', page: 1, kind: 'checkbox', value: null, checked: false },
    ];
    expect(read(fields, 'Patient name\n\nurgent\n\nroutine\n\nReason for referral').statedPriority).toBeUndefined();
  });

  it('takes the reason from a notes field run over two fields, and a "Dx:" note as the diagnosis', () => {
    const first = 'Crowding of the upper incisors with a deep overbite, the lower incisors occluding on the palatal';
    const f = read([
      { name: 'pt_name', page: 1, kind: 'text', value: 'Quillon Ashdown' },
      { name: 'notes', page: 1, kind: 'text', value: first },
      { name: 'notes2', page: 1, kind: 'text', value: 'mucosa behind them.' },
    ]);
    expect(f.reason?.value).toBe(`${first} mucosa behind them.`);
    const g = read([
      { name: 'notes', page: 1, kind: 'text', value: 'Impacted upper canines.' },
      { name: 'notes2', page: 1, kind: 'text', value: 'Dx: Impacted canine teeth' },
    ]);
    expect(g.reason?.value).toBe('Impacted upper canines.');
    expect(g.diagnoses?.value[0]?.text).toMatch(/Impacted canine teeth/);
  });

  it('splits a practice off the referring name field, and takes the clinic from a letter-spaced form title', () => {
    const f = read(
      [{ name: 'ref_name', page: 1, kind: 'text', value: 'Dr Miriam Oakes MD - Elm Street Family Practice' }],
      'C A R D I O L O G Y  R E F E R R A L        Fax: 555 0100\n\nPatient',
    );
    expect(f.referrerName?.value).toBe('Miriam Oakes');
    expect(f.referrerOrganization?.value).toBe('Elm Street Family Practice');
    expect(f.referredTo?.value.raw).toBe('C A R D I O L O G Y  R E F E R R A L');
    expect(f.referredTo?.value.specialty).toMatch(/cardio/i);
  });
});
