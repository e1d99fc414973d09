import { afterAll, describe, expect, it } from 'vitest';
import { DocumentError } from './errors.ts';
import { hostileUploads } from './hostile-corpus.ts';
import type { CorpusLimits } from './hostile-corpus.ts';
import { closeDocumentWorkers, readAcroForm } from './isolate.ts';

const CORPUS: CorpusLimits = { maxUploadBytes: 4 * 1024 * 1024, maxPages: 50, maxPagePixels: 40_000_000, maxDocumentPixels: 200_000_000, ocrDpi: 200, maxTextChars: 3_000_000 };
const limits = { timeoutMs: 15_000, maxMemoryMb: 256 };

afterAll(() => closeDocumentWorkers());

describe('readAcroForm on the hostile corpus', () => {
  it('reads every hostile PDF as [] or a typed failure, never an internal error', { timeout: 300_000 }, async () => {
    const pdfs = (await hostileUploads(CORPUS)).flatMap((u) =>
      u.request.kind === 'raw' && u.request.body.subarray(0, 5).toString('latin1') === '%PDF-' ? [{ name: u.name, body: u.request.body }] : [],
    );
    expect(pdfs.length).toBeGreaterThan(20);
    const outcomes: Record<string, string> = {};
    for (const { name, body } of pdfs) {
      const r = await readAcroForm(body, limits).then(
        (fields) => `fields:${fields.length}`,
        (e: unknown) => (e instanceof DocumentError ? e.reason : `untyped ${(e as Error).message}`),
      );
      outcomes[name] = r;
    }
    const untyped = Object.entries(outcomes).filter(([, r]) => r.startsWith('untyped'));
    expect(untyped).toEqual([]);
    // none of them is a form; the password-protected ones say so as extraction does
    expect(Object.values(outcomes).every((r) => r === 'fields:0' || !r.startsWith('fields'))).toBe(true);
    expect(outcomes['pdf-encrypted-rc4']).toBe('encrypted');
    expect(outcomes['pdf-flate-bomb']).toBe('too_large');
  });
});
