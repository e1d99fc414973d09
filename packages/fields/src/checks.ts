// Validators: a value that fails one is either dropped or kept at low confidence by its reader.

export function luhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** NPI check digit: Luhn over the ISO card-issuer prefix 80840 followed by the 10 digits. */
export function npiValid(npi: string): boolean {
  return /^\d{10}$/.test(npi) && luhn(`80840${npi}`);
}

/** NHS number: 10 digits, modulus-11 check digit. */
export function nhsValid(nhs: string): boolean {
  const d = nhs.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (d.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === d.charCodeAt(9) - 48;
}

export function ssnValid(ssn: string): boolean {
  const m = /^(\d{3})-?(\d{2})-?(\d{4})$/.exec(ssn.trim());
  if (!m) return false;
  const [area, group, serial] = [m[1]!, m[2]!, m[3]!];
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

export const ICD10 = /^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/;
export const icd10Valid = (code: string): boolean => ICD10.test(code);

const EXTENSION = /\s*(?:ext\.?|extension|x)\s*\d{1,6}\s*$/i;

/** The digits of a phone number, extension left out. */
export const phoneDigits = (s: string): string => s.replace(EXTENSION, '').replace(/\D/g, '');

/**
 * How much a string looks like a whole phone number: 1 for NANP (10 digits, optionally +1), a little less for
 * other 7-15 digit numbers (international, UK national), 0 when the digits cannot be one number.
 */
export function phoneQuality(s: string): number {
  const d = phoneDigits(s);
  const nanp = (x: string) => /^[2-9]\d{2}[2-9]\d{6}$/.test(x);
  if (d.length === 10) return nanp(d) ? 1 : 0.95;
  if (d.length === 11 && d[0] === '1') return nanp(d.slice(1)) ? 1 : 0.85;
  if (d.length >= 7 && d.length <= 15) return s.trim().startsWith('+') || (d.length === 11 && d[0] === '0') ? 0.96 : d.length === 7 ? 0.6 : 0.9;
  return 0;
}

/** Two phone numbers are one when their digits match (a leading NANP 1 or a trunk 0 aside). */
export function samePhone(a: string, b: string): boolean {
  const norm = (s: string) => phoneDigits(s).replace(/^1(?=\d{10}$)/, '');
  const x = norm(a);
  const y = norm(b);
  return x === y || (x.length >= 7 && y.length >= 7 && (x.endsWith(y) || y.endsWith(x)));
}

const OCR_LETTER: Record<string, string> = { '0': 'o', '1': 'l', '|': 'l', '5': 's', '8': 'b' };

/** The reverse, for words: "J0NES" → JONES, "Rheumato1ogy" → Rheumatology. Tokens that are mostly digits stay. */
export function ocrLetters(s: string): string {
  return s.replace(/[A-Za-z0-9|]+/g, (tok) => {
    const letters = tok.replace(/[^A-Za-z]/g, '');
    if (letters.length < 2 || letters.length === tok.length || letters.length < tok.length * 0.6) return tok;
    const upper = letters === letters.toUpperCase();
    return [...tok].map((c) => (OCR_LETTER[c] ? (upper ? (c === '1' || c === '|' ? 'I' : OCR_LETTER[c]!.toUpperCase()) : OCR_LETTER[c]) : c)).join('');
  });
}

const OCR_DIGIT: Record<string, string> = { O: '0', o: '0', Q: '0', D: '0', l: '1', I: '1', i: '1', '|': '1', '!': '1', S: '5', s: '5', B: '8', Z: '2', z: '2', G: '6' };

/**
 * OCR reads 0 as O and 1 as l or I: inside a token that is mostly digits, map the look-alikes back.
 * Length-preserving, so offsets stay valid.
 */
export function ocrDigits(s: string): string {
  return s.replace(/[0-9OoQDlIi|!SsBZzG]+/g, (tok) => {
    const digits = tok.replace(/\D/g, '').length;
    return digits >= 1 && digits >= tok.length * 0.5 ? [...tok].map((c) => OCR_DIGIT[c] ?? c).join('') : tok;
  });
}

/**
 * The same for identifiers, which mix letters and digits on purpose (CD799333D, 1EG4-TE5-MK73): only O and l/I,
 * only next to digits, and only in a token of four digits or more.
 */
export function ocrIdDigits(s: string): string {
  return s.replace(/[A-Za-z0-9|]+/g, (tok) => {
    const digits = tok.replace(/\D/g, '').length;
    // After the first digit, an O is a zero and an l or I a one; a letter prefix (MO1234) stays.
    if (digits < 4) return tok;
    const first = tok.search(/\d/);
    return tok.slice(0, first + 1) + tok.slice(first + 1).replace(/[Oo](?=\d|$)|(?<=\d)[Oo]/g, '0').replace(/[lI|](?=\d|$)|(?<=\d)[lI|]/g, '1');
  });
}
