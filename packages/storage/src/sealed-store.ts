import { keyIdOfBytes, openBytes, sealBytes, type Keyring } from '@triage/crypto';
import { sha256Hex, type BlobStore } from './blob-store.ts';

/**
 * Originals at rest: AES-256-GCM bound to the document row (`binding.original(id)`). The underlying
 * store addresses the ciphertext; `sha256` is the plaintext's, kept on the row for dedup and integrity.
 */
export type SealedBlobStore = {
  put(plaintext: Uint8Array, bind: string): Promise<{ key: string; sha256: string; keyId: string }>;
  get(key: string, bind: string): Promise<Buffer>;
  /** Re-seals under the current key (a legacy plaintext blob too); null when it already is. */
  reseal(key: string, bind: string): Promise<{ key: string; keyId: string } | null>;
  remove(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
};

export function createSealedBlobStore(blobs: BlobStore, keyring: Keyring): SealedBlobStore {
  return {
    async put(plaintext, bind) {
      const sealed = sealBytes(keyring, plaintext, bind);
      const { key } = await blobs.put(sealed);
      return { key, sha256: sha256Hex(plaintext), keyId: keyring.currentId };
    },
    async get(key, bind) {
      return openBytes(keyring, await blobs.get(key), bind);
    },
    async reseal(key, bind) {
      const stored = await blobs.get(key);
      const keyId = keyIdOfBytes(stored);
      if (keyId === keyring.currentId) return null;
      const plaintext = keyId === null ? stored : openBytes(keyring, stored, bind);
      const { key: next } = await blobs.put(sealBytes(keyring, plaintext, bind));
      return { key: next, keyId: keyring.currentId };
    },
    async remove(key) {
      await blobs.remove(key);
    },
    exists: (key) => blobs.exists(key),
  };
}
