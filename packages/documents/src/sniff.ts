import type { DocumentKind } from './types.ts';

/** How much of a file the text check looks at; extraction re-validates the whole file. */
const TEXT_SNIFF_BYTES = 64 * 1024;
/** Share of characters that must be printable or ordinary whitespace to call bytes "text". */
const MIN_PRINTABLE_RATIO = 0.95;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const TIFF_LE = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a];
const BIGTIFF_LE = [0x49, 0x49, 0x2b, 0x00];
const BIGTIFF_BE = [0x4d, 0x4d, 0x00, 0x2b];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + magic.length) return false;
  return magic.every((b, i) => bytes[offset + i] === b);
}

/**
 * Decides the kind from content only (never from a filename or a declared MIME type).
 * Returns null for anything we do not process.
 */
export function sniffKind(bytes: Uint8Array): DocumentKind | null {
  if (bytes.length === 0) return null;
  if (startsWith(bytes, PNG)) return 'png';
  if (startsWith(bytes, JPEG)) return 'jpeg';
  if ([TIFF_LE, TIFF_BE, BIGTIFF_LE, BIGTIFF_BE].some((m) => startsWith(bytes, m))) return 'tiff';
  if (startsWith(bytes, PDF, pdfHeaderOffset(bytes))) return 'pdf';
  return looksLikeText(bytes) ? 'text' : null;
}

// Some producers put a BOM or blank lines before the header; text that merely mentions
// "%PDF-" later on must stay text.
function pdfHeaderOffset(bytes: Uint8Array): number {
  let i = startsWith(bytes, UTF8_BOM) ? UTF8_BOM.length : 0;
  while (i < bytes.length && i < 16 && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return i;
}

function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, TEXT_SNIFF_BYTES);
  if (head.includes(0)) return false;
  let decoded: string;
  try {
    // stream: a multi-byte character cut at the sniff boundary is not an error
    decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(head, {
      stream: head.length < bytes.length,
    });
  } catch {
    return false;
  }
  let printable = 0;
  let total = 0;
  for (const ch of decoded) {
    total++;
    if (isPrintable(ch)) printable++;
  }
  if (total === 0) return false;
  if (decoded.trim().length === 0) return false;
  return printable / total >= MIN_PRINTABLE_RATIO;
}

function isPrintable(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  if (c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c) return true;
  if (c < 0x20 || c === 0x7f) return false;
  if (c >= 0x80 && c < 0xa0) return false; // C1 controls
  if (c === 0xfffd) return false;
  return true;
}
