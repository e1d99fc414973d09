import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateKeys } from '@triage/cli';
import { binding, DecryptError, generateKeyLine, openText, parseKeyring } from '@triage/crypto';
import { getDocument, getPages, insertDocument, schema } from '@triage/db';
import { sha256Hex } from '@triage/storage';
import { createSealedBlobStore } from '@triage/storage';
import { waitFor } from '@triage/testkit';
import { reviewEverything, startSystem, type System } from './system.ts';
import { URO_LETTER } from './letters.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));
const k1 = generateKeyLine('k1');
const k2 = generateKeyLine('k2');

let sys: System;
let reviewer: string;

beforeAll(async () => {
  sys = await startSystem({ policy: reviewEverything(basePolicy), env: { TRIAGE_ENCRYPTION_KEY: k1 } });
  reviewer = await sys.token('reviewer', 'rota');
}, 120_000);
afterAll(async () => sys?.stop());

const api = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${sys.url}${path}`, { ...init, headers: { authorization: `Bearer ${reviewer}`, ...(init.headers ?? {}) } });
  return { status: res.status, body: JSON.parse(await res.text()) };
};
const post = (path: string, body: unknown) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const statusIs = (id: string, want: string) =>
  waitFor(async () => ((await api(`/v1/documents/${id}`)).body.status === want ? true : undefined), { timeoutMs: 60_000, what: `${id} ${want}` });

describe('key rotation', () => {
  it('moves every ciphertext from k1 to k2, resumably, and then reads with k1 gone', async () => {
    const admin = await sys.token('admin', 'rot-admin');
    const form = new FormData();
    form.set('file', new Blob([URO_LETTER], { type: 'text/plain' }), 'letter.txt');
    form.set('externalId', 'REF-ROT-0042');
    const up = await fetch(`${sys.url}/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    const { id } = (await up.json()) as { id: string };
    await statusIs(id, 'needs_review');
    const task = (await api('/v1/review/tasks?status=open')).body.tasks.find((t: { documentId: string }) => t.documentId === id);
    expect((await post(`/v1/review/tasks/${task.id}/claim`, {})).status).toBe(200);
    expect((await post(`/v1/review/tasks/${task.id}/decision`, { action: 'confirm', reason: 'prediction_correct', note: 'spoke to the patient' })).status).toBe(202);
    await statusIs(id, 'routed');
    await waitFor(async () => (await sys.rt.dbh.db.select().from(schema.outbox).where(eq(schema.outbox.documentId, id)))[0]?.status === 'sent');

    const db = sys.rt.dbh.db;
    const before = (await getDocument(db, id))!;
    expect(before.storageKeyId).toBe('k1');

    // A document from before encryption: plaintext original, page text and external id.
    const legacyBytes = Buffer.from('legacy letter: haematuria, please see');
    const { key: legacyKey } = await sys.rt.rawBlobs.put(legacyBytes);
    const { row: legacy } = await insertDocument(db, {
      source: 'legacy', sha256: sha256Hex(legacyBytes), kind: 'text', byteSize: legacyBytes.length, storageKey: legacyKey,
      externalId: 'OLD-7', idempotencyKey: null, createdBy: null,
    });
    await db.insert(schema.pages).values({ documentId: legacy.id, pageNo: 1, source: 'plain', text: 'legacy letter: haematuria, please see' });
    // And one whose original is gone: counted as failed, the run goes on.
    const { row: lost } = await insertDocument(db, {
      source: 'lost', sha256: 'f'.repeat(64), kind: 'text', byteSize: 1, storageKey: `sha256/${'e'.repeat(64)}`,
      externalId: null, idempotencyKey: null, createdBy: null,
    });

    const ring21 = parseKeyring(`${k2},${k1}`);
    const report = await rotateKeys({ db, keyring: ring21, blobs: createSealedBlobStore(sys.rt.rawBlobs, ring21) }, { batch: 1 });
    expect(report.keyId).toBe('k2');
    expect(report.failed).toEqual({ originals: 1, pages: 0, externalIds: 0, reviewNotes: 0 });
    expect(report.resealed).toMatchObject({ originals: 2, externalIds: 2, reviewNotes: 1 });
    expect(report.resealed.pages).toBeGreaterThanOrEqual(2);
    await db.delete(schema.documents).where(eq(schema.documents.id, lost.id));

    // Idempotent: a second run finds nothing left to do.
    const again = await rotateKeys({ db, keyring: ring21, blobs: createSealedBlobStore(sys.rt.rawBlobs, ring21) });
    expect(again.resealed).toEqual({ originals: 0, pages: 0, externalIds: 0, reviewNotes: 0 });

    // k1 removed from the ring: everything still reads.
    const ring2 = parseKeyring(k2);
    const after = (await getDocument(db, id))!;
    expect(after.storageKeyId).toBe('k2');
    expect(after.storageKey).not.toBe(before.storageKey);
    expect(await sys.rt.rawBlobs.exists(before.storageKey)).toBe(false);
    const original = await createSealedBlobStore(sys.rt.rawBlobs, ring2).get(after.storageKey, binding.original(id));
    expect(original.toString('utf8')).toBe(URO_LETTER);
    const pages = await getPages(db, id, ring2);
    expect(pages.map((p) => p.text).join('\n')).toContain('prostate biopsy');
    expect(openText(ring2, after.externalId!, binding.externalId(id))).toBe('REF-ROT-0042');
    const [taskRow] = await db.select().from(schema.reviewTasks).where(eq(schema.reviewTasks.id, task.id));
    const stored = taskRow!.decision as { note: string; reason: string };
    expect(openText(ring2, stored.note, binding.reviewNote(task.id))).toBe('spoke to the patient');
    expect(stored.reason).toBe('prediction_correct');

    const legacyAfter = (await getDocument(db, legacy.id))!;
    expect(legacyAfter.storageKeyId).toBe('k2');
    expect((await createSealedBlobStore(sys.rt.rawBlobs, ring2).get(legacyAfter.storageKey, binding.original(legacy.id))).equals(legacyBytes)).toBe(true);
    expect(await sys.rt.rawBlobs.exists(legacyKey)).toBe(false);
    expect((await getPages(db, legacy.id, ring2))[0]?.text).toBe('legacy letter: haematuria, please see');
    expect(openText(ring2, legacyAfter.externalId!, binding.externalId(legacy.id))).toBe('OLD-7');

    // …and the old key alone no longer does.
    await expect(getPages(db, id, parseKeyring(k1))).rejects.toBeInstanceOf(DecryptError);

    const events = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'keys_rotated'));
    expect(events).toHaveLength(2);
    expect(events[0]?.detail).toMatchObject({ keyId: 'k2', resealed: { originals: 2, externalIds: 2, reviewNotes: 1 }, failed: { originals: 1 } });
  });
});
