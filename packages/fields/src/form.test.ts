import { describe, expect, it } from 'vitest';
import { extractFields } from './extract.ts';
import { CLINICS, TODAY, plain, problems } from './testing.ts';

const read = (text: string) => {
  const input = { pages: [plain(text)], clinics: CLINICS, today: TODAY };
  const r = extractFields(input);
  expect(problems(r, input)).toEqual([]);
  return r.fields;
};

const FORM = `RIVERSIDE FAMILY PRACTICE
1200 Oak Avenue, Springfield, IL 62704
Phone: (217) 555-0142   Fax: (217) 555-0143

OUTPATIENT REFERRAL FORM
Date: 03/14/2024

PATIENT INFORMATION
Patient Name: Maren Gonzalvo          DOB: 11/23/1975
Sex: F                                MRN: RX4471902
Address: 42 Elm Street, Springfield, IL 62701
Phone: (217) 555-0199
Insurance: Blue Cross Blue Shield     Member ID: XZ123456789

REFERRING PROVIDER
Name: Dr. Helen Carter, MD            NPI: 1234567893
Phone: (217) 555-0142                 Fax: (217) 555-0143

REFERRAL
Refer to: Gastroenterology
Priority: [ ] Routine [X] Urgent [ ] Emergent
Reason for referral: Iron deficiency anaemia with intermittent rectal bleeding; please assess for colonoscopy.
Diagnosis/ICD-10: D50.9 Iron deficiency anemia, unspecified; K62.5 Hemorrhage of anus and rectum`;

describe('a typed referral form', () => {
  it('reads labelled values and gives generic labels to the section they sit in', () => {
    const f = read(FORM);
    expect(f.patientName?.value).toBe('Maren Gonzalvo');
    expect(f.birthDate?.value).toBe('1975-11-23');
    expect(f.sex?.value).toBe('female');
    expect(f.mrn?.value).toBe('RX4471902');
    expect(f.patientAddress?.value).toBe('42 Elm Street, Springfield, IL 62701');
    // The patient section's phone is the patient's; the letterhead's and the provider section's are the practice's.
    expect(f.patientPhone?.value).toBe('(217) 555-0199');
    expect(f.patientPhone?.conflicts).toBeUndefined();
    expect(f.referrerPhone?.value).toBe('(217) 555-0142');
    expect(f.referrerFax?.value).toBe('(217) 555-0143');
    expect(f.insurancePayer?.value).toBe('Blue Cross Blue Shield');
    expect(f.insuranceMemberId?.value).toBe('XZ123456789');
    expect(f.referrerName?.value).toBe('Helen Carter');
    expect(f.referrerNpi?.value).toBe('1234567893');
    expect(f.referrerOrganization?.value).toMatch(/^riverside family practice$/i);
    expect(f.referredTo?.value).toEqual({ raw: 'Gastroenterology', specialty: 'Gastroenterology' });
    expect(f.referralDate?.value).toBe('2024-03-14');
    expect(f.reason?.value).toMatch(/^Iron deficiency anaemia with intermittent rectal bleeding/);
    expect(f.diagnoses?.value).toEqual([
      { code: 'D50.9', text: 'Iron deficiency anemia, unspecified' },
      { code: 'K62.5', text: 'Hemorrhage of anus and rectum' },
    ]);
  });

  it('reads the ticked box, not the first option named', () => {
    const f = read(FORM);
    expect(f.statedPriority?.value).toBe('urgent');
    expect(f.statedPriority?.conflicts).toBeUndefined();
    expect(f.statedPriority!.confidence).toBeGreaterThan(0.9);
    expect(FORM.slice(f.statedPriority!.evidence[0]!.start, f.statedPriority!.evidence[0]!.end)).toBe('[X] Urgent');
  });

  it('reads separate name fields, tick boxes of every style, and a dotted date', () => {
    const text = `NEW PATIENT REFERRAL
Last Name: Okonkwo          First Name: Chidera
Date of Birth: 30.01.2001
Sex: [X] Male [ ] Female
Medicare #: 1EG4-TE5-MK73
Specialty: ☐ Cardiology ☒ Urology ☐ Nephrology
Requesting physician: Sarah Lopez, NP
Practice: Eastside Health Center   Phone: 555-777-1000   Fax: 555-777-1001
Urgency:
(x) Routine
( ) Urgent`;
    const f = read(text);
    expect(f.patientName?.value).toBe('Chidera Okonkwo');
    expect(f.birthDate?.value).toBe('2001-01-30');
    expect(f.sex?.value).toBe('male');
    expect(f.identifiers?.value).toEqual([{ kind: 'medicare', value: '1EG4-TE5-MK73' }]);
    expect(f.referredTo?.value).toEqual({ raw: 'Urology', specialty: 'Urology' });
    expect(f.referrerName?.value).toBe('Sarah Lopez');
    expect(f.referrerOrganization?.value).toBe('Eastside Health Center');
    expect(f.referrerPhone?.value).toBe('555-777-1000');
    expect(f.referrerFax?.value).toBe('555-777-1001');
    expect(f.statedPriority?.value).toBe('routine');
  });

  it('reads options written before their boxes', () => {
    const f = read('Patient: Lena Vorst\nPriority: Routine [ ]   Urgent [x]   STAT [ ]\nRefer to: ENT');
    expect(f.statedPriority?.value).toBe('urgent');
    expect(f.referredTo?.value.specialty).toBe('ENT - Otolaryngology');
  });

  it('reads a fax cover sheet: the destination is not the sender', () => {
    const text = `FAX COVER SHEET
To: Sleep Clinic          Fax: 555-301-2200
From: Lakeside Internal Medicine   Fax: 555-301-9911
Date: June 3, 2024
Pages: 2

RE: Referral - Thomas Bakewell
DOB: 9/12/1971   Gender: Male
Insurance: Aetna PPO   Policy #: W987654321
Reason: Loud snoring, witnessed apnoeas, daytime somnolence. ESS 16.
Referring: Dr. Rachel Kimura MD  NPI 1234567893
Urgency: Routine`;
    const f = read(text);
    expect(f.referredTo?.value).toEqual({ raw: 'Sleep Clinic', specialty: 'Sleep Medicine' });
    expect(f.referrerFax?.value).toBe('555-301-9911');
    expect(f.referrerFax?.conflicts).toBeUndefined();
    expect(f.referrerOrganization?.value).toBe('Lakeside Internal Medicine');
    expect(f.referrerName?.value).toBe('Rachel Kimura');
    expect(f.patientName?.value).toBe('Thomas Bakewell');
    expect(f.birthDate?.value).toBe('1971-09-12');
    expect(f.sex?.value).toBe('male');
    expect(f.insurancePayer?.value).toBe('Aetna PPO');
    expect(f.insuranceMemberId?.value).toBe('W987654321');
    expect(f.statedPriority?.value).toBe('routine');
    expect(f.referralDate?.value).toBe('2024-06-03');
    expect(f.reason?.value).toMatch(/^Loud snoring/);
  });

  it('reads a value on the line below its label, and label columns by position', () => {
    const text = `Patient Name              Date of Birth        MRN
Ines Ballester            02/17/1983           88-41230

Reason for referral:
Recurrent kidney stones, two episodes of renal colic this year.`;
    const f = read(text);
    expect(f.patientName?.value).toBe('Ines Ballester');
    expect(f.birthDate?.value).toBe('1983-02-17');
    expect(f.mrn?.value).toBe('88-41230');
    expect(f.reason?.value).toBe('Recurrent kidney stones, two episodes of renal colic this year.');
  });

  it('leaves out what the form does not carry', () => {
    const f = read('Patient Name: ____________\nDOB: __/__/____\nPriority: [ ] Routine [ ] Urgent\nNPI:\nNotes: knee pain for two years.');
    expect(f.patientName).toBeUndefined();
    expect(f.birthDate).toBeUndefined();
    expect(f.statedPriority).toBeUndefined();
    expect(f.referrerNpi).toBeUndefined();
  });
});

describe('an address in parts', () => {
  it('joins the street with the city, state and ZIP fields after it', () => {
    const f = read('PATIENT INFORMATION\nName: Arlo Venn\nAddress: 42 Elm Street\nCity: Springfield   State: IL   ZIP: 62701\nPhone: 217-555-0199');
    expect(f.patientAddress?.value).toBe('42 Elm Street, Springfield, IL, 62701');
    expect(f.patientAddress!.evidence).toHaveLength(4);
  });
});
