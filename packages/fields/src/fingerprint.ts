import { createHash, createHmac } from 'node:crypto';

/**
 * Per-page fingerprints for recognising a resend: a keyed MinHash over word pairs. Two scans of one page read
 * with a few OCR errors still share most word pairs; a different letter shares few. The shingles are hashed with
 * a key derived from the data key, so a stored signature reveals nothing about the page to someone without it
 * (no dictionary test of "does this page say John Smith").
 */
export const SIGNATURE_SIZE = 64;
export const BANDS = 16;
const ROWS = SIGNATURE_SIZE / BANDS;
/** Pages shorter than this say too little to tell one letter from another (a cover sheet's "Fax"). */
export const MIN_WORDS = 12;

export type PageSignature = { pageNo: number; words: number; signature: number[] };

export type FingerprintKey = { id: string; secret: Buffer };

/** The fingerprint key: derived, so the data key itself never touches the hashing path. */
export function fingerprintKey(keyId: string, dataKey: Buffer): FingerprintKey {
  return { id: keyId, secret: createHmac('sha256', dataKey).update('triage/page-fingerprint/v1').digest() };
}

export function words(text: string): string[] {
  return text.toLowerCase().normalize('NFKD').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1 || /\d/.test(w));
}

/** murmur3's 32-bit finaliser: a bijection, so each seed gives one permutation of the hash space. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const seedsFor = (key: FingerprintKey) => {
  const s = createHmac('sha256', key.secret).update('seeds').digest();
  const more = createHmac('sha256', key.secret).update('seeds-2').digest();
  const all = Buffer.concat([s, more, createHash('sha256').update(s).update(more).digest(), createHash('sha256').update(more).update(s).digest()]);
  return Array.from({ length: SIGNATURE_SIZE }, (_, i) => all.readUInt32BE((i * 4) % (all.length - 3)) ^ Math.imul(i + 1, 0x9e3779b1));
};

export function pageSignature(key: FingerprintKey, pageNo: number, text: string): PageSignature | null {
  const w = words(text);
  if (w.length < MIN_WORDS) return null;
  const seeds = seedsFor(key);
  const sig = new Array<number>(SIGNATURE_SIZE).fill(0xffffffff);
  const seen = new Set<string>();
  for (let i = 0; i + 1 < w.length; i++) {
    const shingle = `${w[i]} ${w[i + 1]}`;
    if (seen.has(shingle)) continue;
    seen.add(shingle);
    const x = createHmac('sha256', key.secret).update(shingle).digest().readUInt32BE(0);
    for (let j = 0; j < SIGNATURE_SIZE; j++) {
      const h = fmix32(x ^ seeds[j]!);
      if (h < sig[j]!) sig[j] = h;
    }
  }
  return { pageNo, words: w.length, signature: sig };
}

/** Estimated Jaccard similarity of the two pages' word pairs. */
export function similarity(a: readonly number[], b: readonly number[]): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a[i] === b[i]) same++;
  return same / SIGNATURE_SIZE;
}

/**
 * Locality-sensitive bands: two pages that share a band are candidates. With 16 bands of 4, pages at 0.5
 * similarity meet with probability 0.64 and at 0.8 with probability 0.9997; unrelated pages almost never.
 */
export function bandsOf(signature: readonly number[]): string[] {
  const out: string[] = [];
  for (let b = 0; b < BANDS; b++) {
    const h = createHash('sha256');
    h.update(String(b));
    for (let r = 0; r < ROWS; r++) h.update(`:${signature[b * ROWS + r]}`);
    // A signed 63-bit integer, so it fits Postgres bigint.
    out.push(BigInt.asIntN(64, h.digest().readBigUInt64BE(0) >> 1n).toString());
  }
  return out;
}
