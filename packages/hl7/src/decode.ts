/** Turning a frame's bytes into text: the encoding is declared in MSH-18, or set per endpoint. */

export const ENCODINGS = ['windows-1252', 'utf-8', 'iso-8859-1'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export type Decoded = { text: string; encoding: Encoding; bom: boolean; declared: string | null; fellBack: boolean };

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** MSH-18 values (HL7 table 0211) mapped to a decoder; anything else uses the endpoint's default. */
const DECLARED: Record<string, Encoding> = {
  'UNICODE UTF-8': 'utf-8',
  'UTF-8': 'utf-8',
  UNICODE: 'utf-8',
  '8859/1': 'iso-8859-1',
  ASCII: 'windows-1252',
  'CP1252': 'windows-1252',
  'WINDOWS-1252': 'windows-1252',
};

/**
 * MSH is ASCII in every encoding this product accepts, so MSH-18 can be read before the message is decoded. A
 * message with no usable declaration uses the endpoint's default; a "UTF-8" message that is not valid UTF-8 (a
 * common mislabel from Windows senders) is read as windows-1252 rather than garbled with replacement characters.
 */
export function decodeMessage(bytes: Buffer, defaultEncoding: Encoding = 'windows-1252'): Decoded {
  const bom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = bom ? bytes.subarray(3) : bytes;
  const declared = declaredCharset(body);
  const wanted: Encoding = bom ? 'utf-8' : ((declared ? DECLARED[declared.toUpperCase()] : undefined) ?? defaultEncoding);
  if (wanted === 'utf-8') {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8', bom, declared, fellBack: false };
    } catch {
      return { text: windows1252(body), encoding: 'windows-1252', bom, declared, fellBack: true };
    }
  }
  return { text: wanted === 'windows-1252' ? windows1252(body) : body.toString('latin1'), encoding: wanted, bom, declared, fellBack: false };
}

/** 0x80-0x9F in windows-1252 (undefined bytes stay as their C1 code points). */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Node's TextDecoder reads "windows-1252" as Latin-1 (0x80 is not €), so the 32 bytes that differ are mapped here. */
export function windows1252(bytes: Buffer): string {
  const latin = bytes.toString('latin1');
  return /[\x80-\x9f]/.test(latin) ? latin.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!) : latin;
}

/** MSH-18 from the raw bytes (first repetition), or null. */
export function declaredCharset(bytes: Buffer): string | null {
  const end = bytes.findIndex((b) => b === 0x0d || b === 0x0a);
  const msh = bytes.subarray(0, end === -1 ? Math.min(bytes.length, 4096) : end).toString('latin1');
  if (!msh.startsWith('MSH') || msh.length < 4) return null;
  const fields = msh.split(msh[3]!);
  // fields[0] is "MSH", fields[1] MSH-2, so MSH-n is fields[n - 1].
  const v = fields[17]?.split(msh[5] ?? '~')[0]?.trim();
  return v ? v : null;
}
