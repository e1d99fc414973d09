import { describe, expect, it } from 'vitest';
import { extractFields } from './extract.ts';
import { CLINICS, TODAY, ocrText, plain, problems } from './testing.ts';
import type { PageInput } from './types.ts';

const read = (page: PageInput) => {
  const input = { pages: [page], clinics: CLINICS, today: TODAY };
  const r = extractFields(input);
  expect(problems(r, input)).toEqual([]);
  return r.fields;
};

describe('layouts unlike one another', () => {
  it('reads a table with pipes for cell borders', () => {
    const f = read(
      plain(`| Field | Value |
|---|---|
| Patient name | Harriet Quayle |
| Date of birth | 1971-03-09 |
| Sex | Female |
| Referring GP | Dr Omar Fadel |
| Practice | Seaview Medical Centre |
| Service | Respiratory |
| Urgency | Soon |
| Reason | Chronic cough, weight loss, smoker 40 pack-years. |`),
    );
    expect(f.patientName?.value).toBe('Harriet Quayle');
    expect(f.birthDate?.value).toBe('1971-03-09');
    expect(f.sex?.value).toBe('female');
    expect(f.referrerName?.value).toBe('Omar Fadel');
    expect(f.referrerOrganization?.value).toBe('Seaview Medical Centre');
    expect(f.referredTo?.value).toEqual({ raw: 'Respiratory', specialty: 'Cardiovascular / Pulmonary' });
    expect(f.statedPriority?.value).toBe('urgent');
    expect(f.reason?.value).toBe('Chronic cough, weight loss, smoker 40 pack-years.');
  });

  it('reads a letter to a named consultant: the address block is the recipient, the name line is the patient', () => {
    const f = read(
      plain(`Dr P. Sandoval
Department of Cardiology
St Agnes Hospital

14 June 2024

Dear Dr Sandoval

Mr Tobias Ferreira   d.o.b. 12.11.1949   Hospital no: AG552910
14 Marsh Road, Denholm DH4 7TT

I would like to refer the above patient to the cardiology service with worsening breathlessness and ankle
oedema. Echo last year showed an EF of 35%. He has been admitted twice this year with heart failure.

I would be grateful if he could be seen soon.

Best wishes

Dr Nadia Kowal
Denholm Health Centre`),
    );
    expect(f.patientName?.value).toBe('Tobias Ferreira');
    expect(f.birthDate?.value).toBe('1949-11-12');
    expect(f.mrn?.value).toBe('AG552910');
    expect(f.patientAddress?.value).toBe('14 Marsh Road, Denholm DH4 7TT');
    expect(f.referredTo?.value.specialty).toBe('Cardiovascular / Pulmonary');
    // St Agnes Hospital is where the letter goes, not who sent it.
    expect(f.referrerOrganization?.value).toBe('Denholm Health Centre');
    expect(f.referrerOrganization?.conflicts).toBeUndefined();
    expect(f.referrerName?.value).toBe('Nadia Kowal');
    expect(f.statedPriority?.value).toBe('urgent');
    expect(f.referralDate?.value).toBe('2024-06-14');
  });

  it('reads lowercase labels with dashes in two columns', () => {
    const f = read(
      plain(`SPECIALIST REFERRAL REQUEST

patient
home phone - 020 7946 0846                name - KOUMSEN-CERTSTEAD, Ruel O.
sex - M                                   address - 107 Dymfield Road, Tairbury, XK8 2DA
date of birth - 2024-02-08

REFERRED BY
referring clinician - Dr K. Duvez         organization - Folmouth Health Centre
telephone - +44 (0)1632 960821            fax - +44 (0)20 79460292

priority -                                date - 2024-05-02`),
    );
    expect(f.patientName?.value).toBe('Ruel O. KOUMSEN-CERTSTEAD');
    expect(f.patientPhone?.value).toBe('020 7946 0846');
    expect(f.patientAddress?.value).toBe('107 Dymfield Road, Tairbury, XK8 2DA');
    expect(f.sex?.value).toBe('male');
    expect(f.birthDate?.value).toBe('2024-02-08');
    expect(f.referrerName?.value).toBe('K. Duvez');
    expect(f.referrerOrganization?.value).toBe('Folmouth Health Centre');
    expect(f.referrerPhone?.value).toBe('+44 (0)1632 960821');
    expect(f.referrerFax?.value).toBe('+44 (0)20 79460292');
    expect(f.referralDate?.value).toBe('2024-05-02');
    expect(f.statedPriority).toBeUndefined();
  });

  it('reads a scanned form whose columns OCR joined with single spaces', () => {
    const f = read(
      ocrText(`MERCY WEST CLINIC REFERRAL
Patient     Delphine Aubert     DOB        02/14/1988
Phone       (312) 555-0177      MRN        00482213
Refer To    Endocrinology       Priority   Routine
Referring MD  J. Okafor MD      NPI        1234567893
Reason      Thyroid nodule 2.1 cm on ultrasound`, 1, 90, true),
    );
    expect(f.patientName?.value).toBe('Delphine Aubert');
    expect(f.birthDate?.value).toBe('1988-02-14');
    expect(f.mrn?.value).toBe('00482213');
    expect(f.referredTo?.value).toEqual({ raw: 'Endocrinology', specialty: 'Endocrinology' });
    expect(f.statedPriority?.value).toBe('routine');
    expect(f.referrerName?.value).toBe('J. Okafor');
    expect(f.referrerNpi?.value).toBe('1234567893');
    expect(f.reason?.value).toBe('Thyroid nodule 2.1 cm on ultrasound');
  });

  it('reads an e-referral with pipes inside a line and the sender in parentheses', () => {
    const f = read(
      plain(`ELECTRONIC REFERRAL
UBRN: 0081-1681-6696
Created: 12/05/2024
From: Doctor Fyrken Zimby (Lurstead Road Surgery)
To: chest clinic
Priority: 2-week wait
Patient: ORURLEY, Cortik | M | DOB 15/03/1951
NHS No: 999 725 5984
Reason: pain, chest wall

Callback: +44 (0)113 4960534`),
    );
    expect(f.patientName?.value).toBe('Cortik ORURLEY');
    expect(f.sex?.value).toBe('male');
    expect(f.birthDate?.value).toBe('1951-03-15');
    expect(f.identifiers?.value).toEqual([{ kind: 'nhs', value: '999 725 5984' }]);
    expect(f.referrerName?.value).toBe('Fyrken Zimby');
    expect(f.referrerOrganization?.value).toBe('Lurstead Road Surgery');
    expect(f.referrerPhone?.value).toBe('+44 (0)113 4960534');
    expect(f.referredTo?.value.specialty).toBe('Cardiovascular / Pulmonary');
    expect(f.statedPriority?.value).toBe('urgent');
    expect(f.referralDate?.value).toBe('2024-05-12');
  });
});

describe('hostile input', () => {
  it('returns a valid, bounded result for pages that are not referrals', () => {
    const pages = ['', ' '.repeat(20000), 'Name: '.repeat(3000), '[ ] '.repeat(3000) + '[X] Urgent', '1/'.repeat(5000), 'Please see urgently. Not urgent. '.repeat(500), '\t'.repeat(5000) + 'x', '('.repeat(5000)];
    for (const text of pages) expect(() => read(plain(text))).not.toThrow();
  });
});
