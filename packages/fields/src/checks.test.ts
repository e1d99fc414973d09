import { describe, expect, it } from 'vitest';
import { icd10Valid, luhn, nhsValid, npiValid, ocrDigits, ocrIdDigits, ocrLetters, phoneQuality, samePhone, ssnValid } from './checks.ts';
import { nameTokens, readPersonName, sameName } from './names.ts';
import { parseDiagnoses } from './diagnoses.ts';

describe('NPI check digit (Luhn over 80840 + the number)', () => {
  it('passes a valid NPI', () => {
    expect(npiValid('1234567893')).toBe(true);
    expect(luhn('808401234567893')).toBe(true);
  });
  it('catches every single-digit typo and wrong lengths', () => {
    for (let i = 0; i < 10; i++) {
      for (let d = 0; d <= 9; d++) {
        const npi = '1234567893'.slice(0, i) + d + '1234567893'.slice(i + 1);
        if (npi !== '1234567893') expect(npiValid(npi), npi).toBe(false);
      }
    }
    expect(npiValid('123456789')).toBe(false);
    expect(npiValid('12345678930')).toBe(false);
    expect(npiValid('12345 67893')).toBe(false);
  });
});

describe('other identifiers', () => {
  it('checks NHS numbers by modulus 11', () => {
    expect(nhsValid('9434765919')).toBe(true);
    expect(nhsValid('943 476 5919')).toBe(true);
    expect(nhsValid('9434765918')).toBe(false);
    expect(nhsValid('943476591')).toBe(false);
  });
  it('rejects impossible SSNs', () => {
    expect(ssnValid('123-45-6789')).toBe(true);
    expect(ssnValid('000-45-6789')).toBe(false);
    expect(ssnValid('666-45-6789')).toBe(false);
    expect(ssnValid('123-00-6789')).toBe(false);
  });
  it('checks ICD-10 shape', () => {
    for (const ok of ['I20.0', 'R07.9', 'E11.65', 'O24.419', 'M05', 'K62.5', 'Z87.891']) expect(icd10Valid(ok), ok).toBe(true);
    for (const bad of ['U07.1', 'I2', 'i20.0', '120.0', 'I20.', 'I20.00000', 'IAB.1']) expect(icd10Valid(bad), bad).toBe(false);
  });
});

describe('phone numbers', () => {
  it('scores whole numbers high and short or long digit runs zero', () => {
    expect(phoneQuality('555-201-3344')).toBe(1);
    expect(phoneQuality('(217) 555-0142')).toBe(1);
    expect(phoneQuality('+1 217 555 0142')).toBe(1);
    expect(phoneQuality('217-555-0142 ext. 12')).toBe(1);
    expect(phoneQuality('+44 20 7946 0958')).toBeGreaterThan(0.9);
    expect(phoneQuality('020 7946 0958')).toBeGreaterThan(0.8);
    expect(phoneQuality('555-12')).toBe(0);
    expect(phoneQuality('1234 5678 9012 3456 7')).toBe(0);
  });
  it('treats punctuation and a leading 1 as format, not a different number', () => {
    expect(samePhone('(555) 201-3344', '555.201.3344')).toBe(true);
    expect(samePhone('+1 555 201 3344', '5552013344')).toBe(true);
    expect(samePhone('555-201-3344', '555-201-3345')).toBe(false);
  });
});

describe('OCR look-alikes', () => {
  it('maps letters back to digits inside numbers, and digits back to letters inside words', () => {
    expect(ocrDigits('4455l23')).toBe('4455123');
    expect(ocrDigits('555-2O1-3344')).toBe('555-201-3344');
    expect(ocrDigits('O3/O4/197O')).toBe('03/04/1970');
    expect(ocrDigits('DOB')).toBe('DOB');
    expect(ocrLetters('J0NES')).toBe('JONES');
    expect(ocrLetters('Rheumato1ogy')).toBe('Rheumatology');
    expect(ocrLetters('RX4471902')).toBe('RX4471902');
    // Identifiers keep their letters: only an O or l beside digits is a digit.
    expect(ocrIdDigits('M65901101l')).toBe('M659011011');
    expect(ocrIdDigits('M98439167O')).toBe('M984391670');
    expect(ocrIdDigits('CD799333D')).toBe('CD799333D');
    expect(ocrIdDigits('1EG4-TE5-MK73')).toBe('1EG4-TE5-MK73');
    expect(ocrIdDigits('MO123456')).toBe('MO123456');
  });
});

describe('names', () => {
  it('reads titles, initials, credentials and surname-first forms', () => {
    expect(readPersonName('Mr John Smith, DOB 04/05/1958')).toMatchObject({ value: 'John Smith', title: 'mr' });
    expect(readPersonName('Dr A. Patel, MD')).toMatchObject({ value: 'A. Patel', title: 'dr' });
    expect(readPersonName('SMITH, Laura (F)')?.value).toBe('Laura SMITH');
    expect(readPersonName('OKAFOR / Chidi', { lastFirst: true })?.value).toBe('Chidi OKAFOR');
    expect(readPersonName("Siobhan O'Neill-Byrne")?.value).toBe("Siobhan O'Neill-Byrne");
    expect(readPersonName('Riverside Family Practice')?.value).toBe('Riverside');
    expect(readPersonName('Referral for assessment')).toBeNull();
  });
  it('compares names by their words, initials matching their word', () => {
    expect(sameName('John Smith', 'SMITH, John')).toBe(true);
    expect(sameName('J. Smith', 'John Smith')).toBe(true);
    expect(sameName('Smith', 'John Smith')).toBe(true);
    expect(sameName('Jane Smith', 'John Smith')).toBe(false);
    expect(nameTokens('Dr. A. Patel')).toEqual(['a', 'patel']);
  });
});

describe('diagnoses', () => {
  it('splits coded lists in either order and checks code shape', () => {
    expect(parseDiagnoses('I20.0 Unstable angina; R07.9 Chest pain, unspecified').map(({ code, text }) => ({ code, text }))).toEqual([
      { code: 'I20.0', text: 'Unstable angina' },
      { code: 'R07.9', text: 'Chest pain, unspecified' },
    ]);
    expect(parseDiagnoses('Type 2 diabetes (E11.9)')[0]).toMatchObject({ code: 'E11.9', text: 'Type 2 diabetes' });
    expect(parseDiagnoses('l20.9 angina')[0]).toMatchObject({ code: 'I20.9' });
    expect(parseDiagnoses('U07.1 COVID-19')[0]).toMatchObject({ text: 'COVID-19' });
    expect(parseDiagnoses('U07.1 COVID-19')[0]!.code).toBeUndefined();
    expect(parseDiagnoses('HTN, DM2, CKD stage 3').map((d) => d.text)).toEqual(['HTN', 'DM2', 'CKD stage 3']);
    expect(parseDiagnoses('Chest pain, unspecified').map((d) => d.text)).toEqual(['Chest pain, unspecified']);
  });
});
