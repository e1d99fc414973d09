import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binding, DecryptError, generateKeyLine, keyIdOfBytes, parseKeyring } from '@triage/crypto';
import { createFsBlobStore, sha256Hex } from './blob-store.ts';
import { createSealedBlobStore } from './sealed-store.ts';

const doc = 'a2b5e0c4-1f3e-4c3a-8f57-3f0e6c9b7d10';
const letter = Buffer.from('Referral for Quorvina Zelbrecht, MRN 88412963');

describe('sealed blob store', () => {
  it('keeps only ciphertext on disk and the plaintext hash for the row', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sealed-'));
    const raw = createFsBlobStore(root);
    const store = createSealedBlobStore(raw, parseKeyring(generateKeyLine('k1')));
    const { key, sha256, keyId } = await store.put(letter, binding.original(doc));
    expect(sha256).toBe(sha256Hex(letter));
    expect(keyId).toBe('k1');
    const onDisk = await readFile(join(root, 'sha256', key.slice(7, 9), key.slice(9, 11), key.slice(7)));
    expect(onDisk.includes(Buffer.from('Quorvina'))).toBe(false);
    expect(keyIdOfBytes(onDisk)).toBe('k1');
    expect((await store.get(key, binding.original(doc))).equals(letter)).toBe(true);
    await expect(store.get(key, binding.original('00000000-0000-4000-8000-000000000000'))).rejects.toBeInstanceOf(DecryptError);
  });

  it('reseals under a new current key, including a legacy plaintext blob', async () => {
    const raw = createFsBlobStore(await mkdtemp(join(tmpdir(), 'sealed-')));
    const k1 = generateKeyLine('k1');
    const k2 = generateKeyLine('k2');
    const old = createSealedBlobStore(raw, parseKeyring(k1));
    const { key } = await old.put(letter, binding.original(doc));
    const rotated = createSealedBlobStore(raw, parseKeyring(`${k2},${k1}`));
    const r = await rotated.reseal(key, binding.original(doc));
    expect(r?.keyId).toBe('k2');
    expect(await rotated.reseal(r!.key, binding.original(doc))).toBeNull();
    const k2only = createSealedBlobStore(raw, parseKeyring(k2));
    expect((await k2only.get(r!.key, binding.original(doc))).equals(letter)).toBe(true);
    await expect(k2only.get(key, binding.original(doc))).rejects.toMatchObject({ reason: 'unknown_key' });

    const legacy = await raw.put(letter);
    const sealed = await k2only.reseal(legacy.key, binding.original(doc));
    expect((await k2only.get(sealed!.key, binding.original(doc))).equals(letter)).toBe(true);
    await k2only.remove(legacy.key);
    expect(await raw.exists(legacy.key)).toBe(false);
  });
});
