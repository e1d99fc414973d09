import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateSchema, SCHEMA_FILE } from './generate.ts';

describe('generated API types', () => {
  it('are exactly what the routes document now (run `pnpm api-client:generate` after changing a route)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(await generateSchema());
  });
});
