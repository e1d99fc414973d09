// Made-up identifiers with the check digits real ones carry, so a reader that validates them is tested fairly.
import type { Draw } from './random.ts';

/** The Luhn check digit for a digit string (the digit to append). */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    // Doubling starts at the rightmost payload digit: it sits next to the check digit.
    let d = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** NPI: 10 digits whose last is the Luhn check digit over the prefix 80840 plus the first nine. */
export function isValidNpi(npi: string): boolean {
  return /^\d{10}$/.test(npi) && luhnCheckDigit(`80840${npi.slice(0, 9)}`) === Number(npi[9]);
}

export function makeNpi(d: Draw): string {
  // Individual providers start with 1, organisations with 2.
  const base = `${d.pick(['1', '1', '2'])}${d.digits(8)}`;
  return `${base}${luhnCheckDigit(`80840${base}`)}`;
}

/** NHS number: modulus 11 over weights 10…2; the 999 range is reserved for testing, so none is a real patient's. */
export function makeNhsNumber(d: Draw): string {
  for (;;) {
    const base = `999${d.digits(6)}`;
    const sum = [...base].reduce((s, c, i) => s + Number(c) * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return `${base}${check === 11 ? 0 : check}`;
  }
}

export function isValidNhsNumber(n: string): boolean {
  if (!/^\d{10}$/.test(n)) return false;
  const sum = [...n.slice(0, 9)].reduce((s, c, i) => s + Number(c) * (10 - i), 0);
  const check = 11 - (sum % 11);
  return check !== 10 && (check === 11 ? 0 : check) === Number(n[9]);
}

const MBI_LETTERS = 'ACDEFGHJKMNPQRTUVWXY';
const MBI_ALNUM = `${MBI_LETTERS}0123456789`;

/** A Medicare Beneficiary Identifier in the CMS character pattern (C A AN N A AN N A A N N). */
export function makeMbi(d: Draw): string {
  const L = () => d.pick([...MBI_LETTERS]);
  const A = () => d.pick([...MBI_ALNUM]);
  const N = () => String(d.int(0, 9));
  return `${d.int(1, 9)}${L()}${A()}${N()}${L()}${A()}${N()}${L()}${L()}${N()}${N()}`;
}

/** A hospital record number in one of several local shapes. */
export function makeMrn(d: Draw): string {
  return d.pick([
    () => d.digits(8),
    () => `${d.pick(['K', 'M', 'H', 'RX'])}${d.digits(7)}`,
    () => `${d.int(10, 99)}-${d.digits(5)}`,
    () => `${d.int(1, 9)}${d.digits(6)}`,
  ])();
}

export function makeMemberId(d: Draw): string {
  return d.pick([
    () => `${d.pick(['XZ', 'W', 'YH', 'QK'])}${d.digits(9)}`,
    () => `${d.digits(3)}${d.pick(['A', 'B', 'C'])}${d.digits(6)}`,
    () => `M${d.digits(8)}${d.int(0, 9)}`,
  ])();
}

export function makeMedicaidId(d: Draw): string {
  return `${d.pick(['AB', 'CD', 'KL', 'TR'])}${d.digits(6)}${d.pick(['A', 'B', 'C', 'D'])}`;
}
