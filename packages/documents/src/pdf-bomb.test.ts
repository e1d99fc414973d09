import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeBornDigitalPdf } from './fixtures.ts';
import { assertNoFlateBomb } from './pdf-bomb.ts';

const obj = (dict: string, data: Buffer) =>
  Buffer.concat([Buffer.from(`%PDF-1.7\n4 0 obj\n${dict}\nstream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1')]);

describe('flate bomb check', () => {
  it('refuses a content stream that inflates past the limit, also under two Flate layers', async () => {
    const inflated = deflateSync(Buffer.alloc(8 << 20));
    await expect(assertNoFlateBomb(obj(`<< /Length ${inflated.length} /Filter /FlateDecode >>`, inflated), 4 << 20)).rejects.toMatchObject({ reason: 'too_large' });
    const twice = deflateSync(inflated);
    await expect(assertNoFlateBomb(obj(`<< /Filter [/FlateDecode /FlateDecode] >>`, twice), 4 << 20)).rejects.toMatchObject({ reason: 'too_large' });
  });

  it('lets through streams under the limit, image streams, and streams that do not inflate', async () => {
    const small = deflateSync(Buffer.alloc(1 << 20));
    await expect(assertNoFlateBomb(obj('<< /Filter /FlateDecode >>', small), 4 << 20)).resolves.toBeUndefined();
    const big = deflateSync(Buffer.alloc(8 << 20));
    await expect(assertNoFlateBomb(obj('<< /Type /XObject /Subtype /Image /Filter /FlateDecode >>', big), 4 << 20)).resolves.toBeUndefined();
    await expect(assertNoFlateBomb(obj('<< /Filter /FlateDecode >>', Buffer.from('not zlib at all')), 4 << 20)).resolves.toBeUndefined();
    await expect(assertNoFlateBomb(await makeBornDigitalPdf(['An ordinary letter.']))).resolves.toBeUndefined();
  });
});
