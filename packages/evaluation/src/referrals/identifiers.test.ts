import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, isValidNpi, luhnCheckDigit, makeMbi, makeNhsNumber, makeNpi } from './identifiers.ts';
import { createDraw } from './random.ts';

describe('identifiers', () => {
  it('computes the NPI check digit as CMS specifies (Luhn over 80840 + 9 digits)', () => {
    // The CMS worked example: 123456789 → check digit 3.
    expect(luhnCheckDigit('80840123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
    expect(isValidNpi('123456789')).toBe(false);
  });
  it('makes valid NPIs, NHS numbers (test range) and MBIs', () => {
    const d = createDraw(7);
    for (let i = 0; i < 2000; i++) {
      expect(isValidNpi(makeNpi(d))).toBe(true);
      const nhs = makeNhsNumber(d);
      expect(nhs.startsWith('999') && isValidNhsNumber(nhs)).toBe(true);
      expect(makeMbi(d)).toMatch(/^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y]{2}\d\d$/);
    }
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('9434765918')).toBe(false);
  });
});
