import { describe, expect, it } from 'vitest';
import { isDateOnly, prefersDayFirst, readDate } from './dates.ts';

const today = new Date('2024-06-01T00:00:00Z');
const birth = (s: string, dayFirst = false) => readDate(s, { kind: 'birth', today, dayFirst });

describe('dates', () => {
  it('reads the usual ways of writing one day', () => {
    for (const s of ['4 May 1958', '1958-05-04', 'May 4, 1958', '04.05.1958', '4th of May 1958', '04-May-1958', 'DOB: 4 May 58']) expect(birth(s)?.iso, s).toBe('1958-05-04');
    expect(birth('Sept 9, 2001')?.iso).toBe('2001-09-09');
  });
  it('reads ambiguous slashes month first by default, keeping the other reading', () => {
    expect(birth('04/05/1958')).toMatchObject({ iso: '1958-04-05', ambiguous: true, alts: ['1958-04-05', '1958-05-04'] });
    expect(birth('04/05/1958', true)?.iso).toBe('1958-05-04');
    expect(birth('23/11/1975')).toMatchObject({ iso: '1975-11-23', ambiguous: false });
    expect(birth('11/23/1975', true)).toMatchObject({ iso: '1975-11-23', ambiguous: false });
    expect(birth('05/05/1958')?.ambiguous).toBe(false);
  });
  it('drops impossible and implausible birth dates', () => {
    expect(birth('31/02/1990')).toBeNull();
    expect(birth('13/13/1990')).toBeNull();
    expect(birth('1990-02-30')).toBeNull();
    expect(birth('01/01/2030')).toBeNull();
    expect(birth('12/25/2024')).toBeNull();
    expect(birth('12/31/1899')).toBeNull();
    expect(birth('02/29/1996')?.iso).toBe('1996-02-29');
    expect(birth('02/29/1997')).toBeNull();
  });
  it('puts two-digit birth years in the last century when this one has not reached them', () => {
    expect(birth('04/05/58')?.iso).toBe('1958-04-05');
    expect(birth('04/05/05')?.iso).toBe('2005-04-05');
  });
  it('reads event dates in their own plausible range', () => {
    expect(readDate('Date: 03/14/2024', { kind: 'event', today, dayFirst: false })?.iso).toBe('2024-03-14');
    expect(readDate('03/14/1974', { kind: 'event', today, dayFirst: false })).toBeNull();
    expect(isDateOnly('12 March 2024', { kind: 'event', today, dayFirst: false })?.iso).toBe('2024-03-12');
    expect(isDateOnly('Monday, 12 March 2024', { kind: 'event', today, dayFirst: false })?.iso).toBe('2024-03-12');
    expect(isDateOnly('Seen on 12 March 2024', { kind: 'event', today, dayFirst: false })).toBeNull();
  });
  it('infers day-first documents from unambiguous dates and UK signals', () => {
    expect(prefersDayFirst('Seen 25/12/2023, DOB 04/05/1958')).toBe(true);
    expect(prefersDayFirst('Seen 12/25/2023, DOB 04/05/1958')).toBe(false);
    expect(prefersDayFirst('NHS No: 943 476 5919, Hexham NE46 3AB')).toBe(true);
    expect(prefersDayFirst('NPI 1234567893, Springfield, IL 62704')).toBe(false);
    expect(prefersDayFirst('no clue at all')).toBe(false);
  });
});
