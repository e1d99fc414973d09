import { describe, expect, it } from 'vitest';
import { makeFaxTiff } from './fixtures.ts';
import { readTiffResolutions } from './tiff.ts';

describe('readTiffResolutions', () => {
  it('reads X and Y resolution of every page', async () => {
    expect(readTiffResolutions(await makeFaxTiff(['a', 'b']))).toEqual([
      { xDpi: expect.closeTo(200, 0), yDpi: expect.closeTo(200, 0) },
      { xDpi: expect.closeTo(200, 0), yDpi: expect.closeTo(200, 0) },
    ]);
    const [standard] = readTiffResolutions(await makeFaxTiff(['a'], { resolution: 'standard' })) ?? [];
    expect(standard).toEqual({ xDpi: expect.closeTo(200, 0), yDpi: expect.closeTo(100, 0) });
  });

  it('gives up quietly on non-TIFF, truncated or looping input', () => {
    expect(readTiffResolutions(Buffer.from('hello world'))).toBeNull();
    expect(readTiffResolutions(Uint8Array.from([0x49, 0x49, 0x2a, 0, 0xff, 0xff, 0, 0]))).toEqual([]);
    // one directory with no entries whose "next" pointer points back at itself
    const loop = Uint8Array.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 0, 0, 8, 0, 0, 0]);
    expect(readTiffResolutions(loop)).toEqual([null]);
  });
});
