import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.ts';

/**
 * AES-256-GCM with the key id and a row binding in the authenticated data. Bytes:
 * "TRC" · version · key-id length · key id · 12-byte IV · 16-byte tag · ciphertext.
 * Text columns: `tc1:<key id>:<base64url(IV · tag · ciphertext)>`.
 */
const MAGIC = Buffer.from('TRC');
const VERSION = 1;
const TEXT_PREFIX = 'tc1:';
const IV = 12;
const TAG = 16;

export type DecryptFailure = 'malformed' | 'unknown_key' | 'auth_failed';

/** Carries only the failure kind and key id: never plaintext, ciphertext or key material. */
export class DecryptError extends Error {
  override name = 'DecryptError';
  constructor(
    readonly reason: DecryptFailure,
    readonly keyId: string | null,
  ) {
    super(reason === 'unknown_key' ? `no key "${keyId}" in the keyring` : reason === 'auth_failed' ? 'ciphertext failed authentication (wrong row, key or tampered)' : 'not a ciphertext in a known format');
  }
}

/** What a ciphertext is bound to, so one copied to another row does not decrypt. */
export const binding = {
  original: (documentId: string) => `documents:${documentId}`,
  externalId: (documentId: string) => `documents:${documentId}:external_id`,
  page: (documentId: string, pageNo: number) => `pages:${documentId}:${pageNo}`,
  reviewNote: (taskId: string) => `review_tasks:${taskId}:note`,
  fields: (documentId: string, run: number) => `referral_fields:${documentId}:${run}`,
  intakeFields: (documentId: string) => `documents:${documentId}:intake_fields`,
  message: (messageId: string) => `interface_messages:${messageId}`,
};

function key(ring: Keyring, id: string): Buffer {
  const k = ring.keys.get(id);
  if (!k) throw new DecryptError('unknown_key', id);
  return k;
}

function seal(k: Buffer, plaintext: Uint8Array, aad: Buffer): Buffer {
  const iv = randomBytes(IV);
  const c = createCipheriv('aes-256-gcm', k, iv);
  c.setAAD(aad);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]);
}

function open(k: Buffer, body: Buffer, aad: Buffer, keyId: string): Buffer {
  if (body.length < IV + TAG) throw new DecryptError('malformed', keyId);
  const d = createDecipheriv('aes-256-gcm', k, body.subarray(0, IV));
  d.setAAD(aad);
  d.setAuthTag(body.subarray(IV, IV + TAG));
  try {
    return Buffer.concat([d.update(body.subarray(IV + TAG)), d.final()]);
  } catch {
    throw new DecryptError('auth_failed', keyId);
  }
}

function header(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  return Buffer.concat([MAGIC, Buffer.from([VERSION, id.length]), id]);
}

export function sealBytes(ring: Keyring, plaintext: Uint8Array, bind: string): Buffer {
  const h = header(ring.currentId);
  return Buffer.concat([h, seal(key(ring, ring.currentId), plaintext, Buffer.concat([h, Buffer.from(bind)]))]);
}

/** The key id of sealed bytes, or null when the bytes are not in this format (e.g. a legacy plaintext). */
export function keyIdOfBytes(sealed: Uint8Array): string | null {
  const b = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (b.length < 5 || !b.subarray(0, 3).equals(MAGIC) || b[3] !== VERSION) return null;
  const n = b[4]!;
  if (n === 0 || b.length < 5 + n) return null;
  return b.subarray(5, 5 + n).toString('ascii');
}

export function openBytes(ring: Keyring, sealed: Uint8Array, bind: string): Buffer {
  const keyId = keyIdOfBytes(sealed);
  if (!keyId) throw new DecryptError('malformed', null);
  const b = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const hl = 5 + keyId.length;
  return open(key(ring, keyId), b.subarray(hl), Buffer.concat([b.subarray(0, hl), Buffer.from(bind)]), keyId);
}

export function sealText(ring: Keyring, text: string, bind: string): string {
  const prefix = `${TEXT_PREFIX}${ring.currentId}:`;
  return prefix + seal(key(ring, ring.currentId), Buffer.from(text, 'utf8'), Buffer.from(prefix + bind)).toString('base64url');
}

export function keyIdOfText(sealed: string): string | null {
  if (!sealed.startsWith(TEXT_PREFIX)) return null;
  const end = sealed.indexOf(':', TEXT_PREFIX.length);
  return end > TEXT_PREFIX.length ? sealed.slice(TEXT_PREFIX.length, end) : null;
}

export function openText(ring: Keyring, sealed: string, bind: string): string {
  const keyId = keyIdOfText(sealed);
  if (!keyId) throw new DecryptError('malformed', null);
  const prefix = `${TEXT_PREFIX}${keyId}:`;
  const body = sealed.slice(prefix.length);
  if (!/^[A-Za-z0-9_-]*$/.test(body)) throw new DecryptError('malformed', keyId);
  return open(key(ring, keyId), Buffer.from(body, 'base64url'), Buffer.from(prefix + bind), keyId).toString('utf8');
}

/** For the column-level rotation query: every text sealed under `keyId` starts with this. */
export const textPrefixFor = (keyId: string) => `${TEXT_PREFIX}${keyId}:`;
