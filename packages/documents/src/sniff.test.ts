import { describe, expect, it } from 'vitest';
import { makeBornDigitalPdf, makeFaxTiff, makeScanPng } from './fixtures.ts';
import { sniffKind } from './sniff.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('sniffKind', () => {
  it('recognises generated documents by content', async () => {
    expect(sniffKind(await makeBornDigitalPdf(['hello']))).toBe('pdf');
    expect(sniffKind(await makeScanPng('hello', 0))).toBe('png');
    expect(sniffKind(await makeFaxTiff(['hello']))).toBe('tiff');
  });

  it('recognises each magic number', () => {
    expect(sniffKind(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0))).toBe('png');
    expect(sniffKind(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('jpeg');
    expect(sniffKind(bytes(0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0))).toBe('tiff');
    expect(sniffKind(bytes(0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8))).toBe('tiff');
    expect(sniffKind(utf8('%PDF-1.7\n%\u00e2\u00e3'))).toBe('pdf');
  });

  it('accepts a PDF header after a BOM or blank lines, nowhere later', () => {
    expect(sniffKind(utf8('\ufeff%PDF-1.4\n'))).toBe('pdf');
    expect(sniffKind(utf8('\r\n%PDF-1.4\n'))).toBe('pdf');
    expect(sniffKind(utf8('Please find attached %PDF-1.4 as discussed'))).toBe('text');
  });

  it('treats UTF-8 letters as text, with or without BOM', () => {
    expect(sniffKind(utf8('Dear Dr Smith,\r\nI am referring Mrs Jones (DOB 01/02/1950).\n'))).toBe('text');
    expect(sniffKind(utf8('\ufeffRéférence: Zoë Brontë — urgent\n'))).toBe('text');
  });

  it('refuses empty, binary and unsupported content', () => {
    expect(sniffKind(new Uint8Array())).toBeNull();
    expect(sniffKind(utf8('   \n\t  '))).toBeNull();
    expect(sniffKind(bytes(0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00))).toBeNull(); // GIF
    expect(sniffKind(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00))).toBeNull(); // zip/docx
    expect(sniffKind(utf8('hello\u0000world'))).toBeNull();
    expect(sniffKind(bytes(0xc3, 0x28, 0x41, 0x42))).toBeNull(); // invalid UTF-8
    const noise = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256);
    expect(sniffKind(noise)).toBeNull();
  });

  it('does not believe content that only looks like a type', () => {
    // a text file named .pdf, an HTML page, a PDF renamed .png: all decided by bytes
    expect(sniffKind(utf8('This is not a PDF even though the file is called letter.pdf'))).toBe('text');
    expect(sniffKind(bytes(0x89, 0x50, 0x4e, 0x47))).toBeNull(); // PNG signature cut short
    expect(sniffKind(bytes(0xff, 0xd8))).toBeNull();
    expect(sniffKind(utf8('II*'))).toBe('text'); // too short to be a TIFF header
  });

  it('tolerates a multi-byte character cut at the sniff window', () => {
    const long = utf8('é'.repeat(40_000)); // 80 000 bytes: the 64 KiB window ends mid-character
    expect(sniffKind(long)).toBe('text');
  });

  it('rejects control-character soup that happens to be valid UTF-8', () => {
    const controls = Uint8Array.from({ length: 200 }, (_, i) => (i % 2 ? 0x01 : 0x41));
    expect(sniffKind(controls)).toBeNull();
  });
});
