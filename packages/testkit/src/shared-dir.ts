import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../../..');

/**
 * The workspace's shared material (datasets, smoke models), never committed: `TRIAGE_SHARED_DIR`, else `shared/`
 * beside the checkout, else `/work/shared`, so a clone anywhere on the machine finds it.
 */
export function sharedDir(): string {
  const candidates = [process.env.TRIAGE_SHARED_DIR, join(REPO, '..', 'shared'), '/work/shared'].filter((c): c is string => !!c);
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

export const sharedPath = (...parts: string[]) => join(sharedDir(), ...parts);
