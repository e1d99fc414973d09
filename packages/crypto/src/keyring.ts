import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The first key encrypts new data; every key decrypts. */
export type Keyring = { currentId: string; keys: ReadonlyMap<string, Buffer> };

export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class KeyringError extends Error {
  override name = 'KeyringError';
}

/** Parses `k2:<base64 32 bytes>,k1:<base64 32 bytes>`; never puts key material in its messages. */
export function parseKeyring(spec: string): Keyring {
  const keys = new Map<string, Buffer>();
  let currentId: string | undefined;
  for (const [i, raw] of spec.split(',').entries()) {
    const entry = raw.trim();
    const sep = entry.indexOf(':');
    const id = sep > 0 ? entry.slice(0, sep) : '';
    if (!KEY_ID.test(id)) throw new KeyringError(`key ${i + 1}: expected <id>:<base64 key> with an id of letters, digits, _ or -`);
    const b64 = entry.slice(sep + 1);
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new KeyringError(`key ${id}: must be 32 bytes, base64`);
    if (keys.has(id)) throw new KeyringError(`key ${id}: listed twice`);
    keys.set(id, key);
    currentId ??= id;
  }
  if (!currentId) throw new KeyringError('no keys');
  return { currentId, keys };
}

export function generateKeyLine(id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`): string {
  if (!KEY_ID.test(id)) throw new KeyringError('invalid key id');
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/** The same ring with one old key dropped (after a rotation moved everything off it). */
export function keyringWithout(ring: Keyring, id: string): Keyring {
  const keys = new Map([...ring.keys].filter(([k]) => k !== id));
  if (!keys.has(ring.currentId)) throw new KeyringError('cannot drop the current key');
  return { currentId: ring.currentId, keys };
}

/**
 * Development only: a key generated once and kept in a 0600 file under DATA_DIR, so the quick start
 * works without configuration. `created` says whether this call made it (the caller logs that once).
 */
export function loadOrCreateDevKey(path: string): { spec: string; created: boolean } {
  try {
    return { spec: readFileSync(path, 'utf8').trim(), created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dirname(path), { recursive: true });
  const spec = generateKeyLine('dev1');
  // Written aside, then linked into place: a concurrent starter never reads a half-written key.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${spec}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, path);
    return { spec, created: true };
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { spec: readFileSync(path, 'utf8').trim(), created: false };
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}
