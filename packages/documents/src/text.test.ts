import { describe, expect, it } from 'vitest';
import { DocumentError } from './errors.ts';
import { decodeText, isUsableText, normalizeText } from './text.ts';

describe('decodeText', () => {
  it('drops the BOM and NULs and normalises line ends', () => {
    const bytes = new TextEncoder().encode('\ufeffLine one\r\nLine two\rLine\u0000 three  \n\n\n\nEnd');
    expect(decodeText(bytes)).toBe('Line one\nLine two\nLine three\n\nEnd');
  });

  it('refuses invalid UTF-8', () => {
    expect(() => decodeText(Uint8Array.from([0x41, 0xff, 0x42]))).toThrow(DocumentError);
  });
});

describe('normalizeText', () => {
  it('trims trailing spaces on lines and collapses runs of blank lines', () => {
    expect(normalizeText('  a \t\n\n\n\nb  ')).toBe('a\n\nb');
  });
});

describe('isUsableText', () => {
  it('needs enough non-space characters', () => {
    expect(isUsableText('Page 1 of 3', 20)).toBe(false);
    expect(isUsableText('Referral for cardiology review, please.', 20)).toBe(true);
    expect(isUsableText('', 0)).toBe(false);
  });

  it('rejects glyph soup from fonts without a Unicode map', () => {
    expect(isUsableText('\u0003\u0004\u0005\ue001\ue002\ue003 \u0006\u0007\ue004\ue005abc', 5)).toBe(false);
    expect(isUsableText('Name: ________________ DOB: __/__/____ \ufffd', 5)).toBe(true);
  });
});
