import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Content-addressed store for originals. Keys are `sha256/<hex>`; an S3-compatible store can
 * implement the same calls (put = PutObject with If-None-Match, get = GetObject, remove = DeleteObject).
 */
export type BlobStore = {
  put(bytes: Uint8Array): Promise<{ key: string; sha256: string }>;
  get(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** Deletes a blob for good (retention, a rotated original's old ciphertext); absent is fine. */
  remove(key: string): Promise<void>;
};

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
}

export function createFsBlobStore(root: string): BlobStore {
  const pathOf = (key: string) => {
    const m = /^sha256\/([0-9a-f]{64})$/.exec(key);
    if (!m?.[1]) throw new Error('invalid blob key');
    const hex = m[1];
    return join(root, 'sha256', hex.slice(0, 2), hex.slice(2, 4), hex);
  };
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const key = `sha256/${sha256}`;
      const path = pathOf(key);
      if (await exists(path)) return { key, sha256 };
      await mkdir(dirname(path), { recursive: true });
      // Write, fsync, then rename: a crash never leaves a torn file under the final name.
      const tmp = `${path}.${randomUUID()}.tmp`;
      const fh = await open(tmp, 'wx');
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path).catch(async (e) => {
        await rm(tmp, { force: true });
        throw e;
      });
      await fsyncDir(dirname(path));
      return { key, sha256 };
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(`blob ${key} is missing`);
        throw e;
      }
    },
    async exists(key) {
      return exists(pathOf(key));
    },
    async remove(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      await fsyncDir(dirname(path)).catch(() => undefined);
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
