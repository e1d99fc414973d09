import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlobNotFoundError, createFsBlobStore, sha256Hex } from './blob-store.ts';

describe('fs blob store', () => {
  it('stores by content hash and reads back the same bytes', async () => {
    const store = createFsBlobStore(await mkdtemp(join(tmpdir(), 'blobs-')));
    const bytes = Buffer.from('referral letter');
    const { key, sha256 } = await store.put(bytes);
    expect(sha256).toBe(sha256Hex(bytes));
    expect(key).toBe(`sha256/${sha256}`);
    expect((await store.get(key)).equals(bytes)).toBe(true);
    expect(await store.exists(key)).toBe(true);
  });

  it('is idempotent and leaves no temp files', async () => {
    const root = await mkdtemp(join(tmpdir(), 'blobs-'));
    const store = createFsBlobStore(root);
    const a = await store.put(Buffer.from('x'));
    const b = await store.put(Buffer.from('x'));
    expect(a).toEqual(b);
    const dir = join(root, 'sha256', a.sha256.slice(0, 2), a.sha256.slice(2, 4));
    expect(await readdir(dir)).toEqual([a.sha256]);
  });

  it('reports a missing blob with a typed error and rejects malformed keys', async () => {
    const store = createFsBlobStore(await mkdtemp(join(tmpdir(), 'blobs-')));
    await expect(store.get(`sha256/${'0'.repeat(64)}`)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.get('../../etc/passwd')).rejects.toThrow('invalid blob key');
  });
});

describe('fs blob store delete', () => {
  it('removes a blob for good and is idempotent', async () => {
    const store = createFsBlobStore(await mkdtemp(join(tmpdir(), 'blobs-')));
    const { key } = await store.put(Buffer.from('to be purged'));
    await store.remove(key);
    expect(await store.exists(key)).toBe(false);
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.remove(key)).resolves.toBeUndefined();
    await expect(store.remove('../../etc/passwd')).rejects.toThrow(/invalid blob key/);
  });
});
