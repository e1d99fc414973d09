import { describe, expect, it } from 'vitest';
import { findOnPath } from './native-tesseract.ts';

describe('findOnPath', () => {
  it('finds executables and misses absent ones', () => {
    expect(findOnPath('node')).toMatch(/node$/);
    expect(findOnPath('definitely-not-a-binary-xyz')).toBeNull();
  });
});
