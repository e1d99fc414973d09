import { DocumentError } from './errors.ts';

/** Decodes a plain-text document; a BOM is dropped, invalid UTF-8 is 'unreadable'. */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DocumentError('unreadable', 'text is not valid UTF-8');
  }
  return normalizeText(text.replaceAll('\u0000', ''));
}

export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// Control characters, private-use code points and U+FFFD are what pdf.js produces for fonts
// without a usable ToUnicode map: such a "text layer" is glyph soup and must be OCRed.
const GARBLED = /[\p{Cc}\p{Co}\uFFFD]/gu;
const MAX_GARBLED_RATIO = 0.2;

/** Whether a text layer is real text: enough non-space characters, and not glyph soup. */
export function isUsableText(text: string, minChars: number): boolean {
  const compact = text.replace(/\s+/g, '');
  if (compact.length < minChars || compact.length === 0) return false;
  const garbled = compact.match(GARBLED)?.length ?? 0;
  return garbled / compact.length <= MAX_GARBLED_RATIO;
}
