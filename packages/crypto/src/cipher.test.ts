import { describe, expect, it } from 'vitest';
import { binding, DecryptError, keyIdOfBytes, keyIdOfText, openBytes, openText, sealBytes, sealText } from './cipher.ts';
import { generateKeyLine, KeyringError, parseKeyring } from './keyring.ts';

const k1 = generateKeyLine('k1');
const k2 = generateKeyLine('k2');
const ring1 = parseKeyring(k1);
const ring21 = parseKeyring(`${k2},${k1}`);
const doc = '0b7c4c52-4f8e-4bd8-9e8f-2d7b1b0d9a11';
const other = '6f1d1f7e-88a0-4c39-8f0e-0c1e4b2a5d22';

function failure(fn: () => unknown): DecryptError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DecryptError);
    return e as DecryptError;
  }
  throw new Error('expected a DecryptError');
}

describe('cipher', () => {
  it('round-trips bytes and text under the current key, with fresh IVs', () => {
    const bytes = Buffer.from('%PDF-1.7 referral for Quorvina Zelbrecht');
    const a = sealBytes(ring1, bytes, binding.original(doc));
    const b = sealBytes(ring1, bytes, binding.original(doc));
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('Quorvina'))).toBe(false);
    expect(keyIdOfBytes(a)).toBe('k1');
    expect(openBytes(ring1, a, binding.original(doc)).equals(bytes)).toBe(true);

    const t = sealText(ring1, 'MRN 88412963 — café', binding.page(doc, 1));
    expect(t.startsWith('tc1:k1:')).toBe(true);
    expect(keyIdOfText(t)).toBe('k1');
    expect(openText(ring1, t, binding.page(doc, 1))).toBe('MRN 88412963 — café');
    expect(openText(ring1, sealText(ring1, '', binding.page(doc, 2)), binding.page(doc, 2))).toBe('');
  });

  it('refuses a key id that is not in the ring', () => {
    const t = sealText(ring21, 'x', binding.page(doc, 1));
    expect(keyIdOfText(t)).toBe('k2');
    const e = failure(() => openText(ring1, t, binding.page(doc, 1)));
    expect(e.reason).toBe('unknown_key');
    expect(e.keyId).toBe('k2');
    expect(failure(() => openBytes(ring1, sealBytes(ring21, Buffer.from('x'), 'b'), 'b')).reason).toBe('unknown_key');
  });

  it('detects a tampered tag, ciphertext or key id', () => {
    const sealed = sealBytes(ring1, Buffer.from('referral letter'), binding.original(doc));
    const tag = Buffer.from(sealed);
    tag[5 + 2 + 12]! ^= 1; // first byte of the tag (header is 5 + key id length)
    expect(failure(() => openBytes(ring1, tag, binding.original(doc))).reason).toBe('auth_failed');
    const body = Buffer.from(sealed);
    body[body.length - 1]! ^= 1;
    expect(failure(() => openBytes(ring1, body, binding.original(doc))).reason).toBe('auth_failed');

    // Same key material under another id: the id is authenticated, so relabelling fails.
    const relabelled = parseKeyring(`kx:${k1.slice(3)}`);
    const t = sealText(ring1, 'text', binding.page(doc, 1));
    expect(failure(() => openText(relabelled, t.replace('tc1:k1:', 'tc1:kx:'), binding.page(doc, 1))).reason).toBe('auth_failed');
    const flipped = t.slice(0, -2) + (t.at(-2) === 'A' ? 'B' : 'A') + t.at(-1);
    expect(failure(() => openText(ring1, flipped, binding.page(doc, 1))).reason).toBe('auth_failed');
  });

  it('binds each ciphertext to its row: moved to another row it does not decrypt', () => {
    const original = sealBytes(ring1, Buffer.from('bytes'), binding.original(doc));
    expect(failure(() => openBytes(ring1, original, binding.original(other))).reason).toBe('auth_failed');
    const page = sealText(ring1, 'page one', binding.page(doc, 1));
    expect(failure(() => openText(ring1, page, binding.page(doc, 2))).reason).toBe('auth_failed');
    expect(failure(() => openText(ring1, page, binding.page(other, 1))).reason).toBe('auth_failed');
    expect(failure(() => openText(ring1, page, binding.externalId(doc))).reason).toBe('auth_failed');
  });

  it('names malformed input without echoing it', () => {
    const e = failure(() => openText(ring1, 'Quorvina Zelbrecht', binding.page(doc, 1)));
    expect(e.reason).toBe('malformed');
    expect(e.message).not.toContain('Quorvina');
    expect(keyIdOfBytes(Buffer.from('%PDF-1.7'))).toBeNull();
    expect(failure(() => openBytes(ring1, Buffer.from('TRC'), 'b')).reason).toBe('malformed');
    expect(failure(() => openText(ring1, 'tc1:k1:!!', 'b')).reason).toBe('malformed');
  });
});

describe('keyring', () => {
  it('uses the first key for writes and keeps the others for reads', () => {
    expect(ring21.currentId).toBe('k2');
    expect([...ring21.keys.keys()]).toEqual(['k2', 'k1']);
    const old = sealText(ring1, 'old', 'b');
    expect(openText(ring21, old, 'b')).toBe('old');
  });

  it('refuses malformed specs without echoing key material', () => {
    for (const spec of ['', 'k1', 'k1:short', `k1:${Buffer.alloc(31).toString('base64')}`, `bad id:${Buffer.alloc(32).toString('base64')}`, `${k1},${k1}`]) {
      expect(() => parseKeyring(spec)).toThrow(KeyringError);
    }
    try {
      parseKeyring(`k1:${'A'.repeat(40)}`);
    } catch (e) {
      expect((e as Error).message).not.toContain('AAAA');
    }
  });
});

describe('development key file', () => {
  it('is created once (0600) and then reused', async () => {
    const { mkdtemp, stat } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadOrCreateDevKey } = await import('./keyring.ts');
    const path = join(await mkdtemp(join(tmpdir(), 'devkey-')), 'sub', 'encryption.key');
    const a = loadOrCreateDevKey(path);
    const b = loadOrCreateDevKey(path);
    expect(a.created).toBe(true);
    expect(b).toEqual({ spec: a.spec, created: false });
    expect(parseKeyring(a.spec).currentId).toBe('dev1');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});
