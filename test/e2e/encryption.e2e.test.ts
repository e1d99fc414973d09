import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecryptError, keyIdOfBytes } from '@triage/crypto';
import { getDocument, getPages, rowsOf, schema } from '@triage/db';
import { waitFor } from '@triage/testkit';
import { reviewEverything, startSystem, type System } from './system.ts';
import { CANARY_NAME, CARDIO_LETTER, URO_LETTER } from './letters.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));

let sys: System;
let admin: string;

beforeAll(async () => {
  sys = await startSystem({ policy: reviewEverything(basePolicy) });
  admin = await sys.token('admin', 'enc-admin');
}, 120_000);
afterAll(async () => sys?.stop());

const api = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${sys.url}${path}`, { ...init, headers: { authorization: `Bearer ${admin}`, ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};
const upload = async (text: string) => (await api('/v1/documents', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text })).body.id as string;
const reach = (id: string, want: string) =>
  waitFor(
    async () => {
      const r = await api(`/v1/documents/${id}`);
      return r.body.status === want ? r.body : undefined;
    },
    { timeoutMs: 60_000, what: `${id} to be ${want}` },
  );
const replay = (id: string, fromStage: string) =>
  api(`/v1/documents/${id}/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fromStage }) });

describe('encryption at rest', () => {
  it('keeps the original on disk and the page text in Postgres as ciphertext only; the API reads them back', async () => {
    const id = await upload(URO_LETTER);
    const doc = await reach(id, 'needs_review');
    const row = (await getDocument(sys.rt.dbh.db, id))!;
    const hex = row.storageKey.slice('sha256/'.length);
    const onDisk = await readFile(join(sys.dataDir, 'blobs', 'sha256', hex.slice(0, 2), hex.slice(2, 4), hex));
    expect(keyIdOfBytes(onDisk)).toBe(row.storageKeyId);
    expect(onDisk.toString('latin1')).not.toContain('prostate');
    expect(onDisk.toString('latin1')).not.toContain(CANARY_NAME);
    expect(row.sha256).not.toBe(hex); // addressed by the ciphertext; the row keeps the plaintext's hash

    const raw = rowsOf<{ text: string }>(await sys.rt.dbh.db.execute(sql`select text from pages where document_id = ${id}`));
    expect(raw.length).toBeGreaterThan(0);
    for (const r of raw) {
      expect(r.text.startsWith(`tc1:${row.storageKeyId}:`)).toBe(true);
      expect(r.text).not.toContain('prostate');
    }
    const [c] = await sys.rt.dbh.db.select().from(schema.classifications).where(eq(schema.classifications.documentId, id));
    const stored = c!.evidence as Record<string, unknown>[];
    expect(stored.length).toBeGreaterThan(0);
    for (const e of stored) expect(Object.keys(e).sort()).toEqual(['end', 'head', 'start', 'weight']);

    // Read back: the evidence words are sliced from the decrypted text.
    const text = (await getPages(sys.rt.dbh.db, id, sys.rt.keyring)).map((p) => p.text).join('\n\n');
    expect(text).toContain('prostate biopsy');
    for (const e of doc.triage.evidence as { start: number; end: number; term: string }[]) expect(e.term).toBe(text.slice(e.start, e.end));
    expect(doc.triage.evidence.some((e: { term: string }) => e.term.length > 0)).toBe(true);
  });

  it('a ciphertext moved to another row does not decrypt: the stage fails with undecryptable', async () => {
    const a = await upload(URO_LETTER.replace('72-year-old', '71-year-old'));
    const b = await upload(CARDIO_LETTER);
    await reach(a, 'needs_review');
    await reach(b, 'needs_review');
    const db = sys.rt.dbh.db;
    const docA = (await getDocument(db, a))!;

    // Another document's original under this row.
    await db.update(schema.documents).set({ storageKey: docA.storageKey }).where(eq(schema.documents.id, b));
    expect((await replay(b, 'extract')).status).toBe(202);
    const failed = await reach(b, 'failed');
    expect(failed.error.reason).toBe('undecryptable');

    // Another document's page text under this row.
    await db.execute(sql`update pages set text = (select text from pages where document_id = ${a} and page_no = 1) where document_id = ${b} and page_no = 1`);
    await expect(getPages(db, b, sys.rt.keyring)).rejects.toMatchObject({ name: 'DecryptError', reason: 'auth_failed' });
    await expect(getPages(db, b, sys.rt.keyring)).rejects.toBeInstanceOf(DecryptError);
    expect((await replay(b, 'classify')).status).toBe(202);
    const again = await waitFor(
      async () => {
        const r = await api(`/v1/documents/${b}/provenance`);
        const classify = r.body.events.filter((e: { stage?: string; run?: number }) => e.stage === 'classify' && e.run === 3);
        return classify.length && classify.every((e: { outcome: string }) => e.outcome !== 'running') ? classify : undefined;
      },
      { what: 'the classify attempt of run 3' },
    );
    expect(again.at(-1)).toMatchObject({ outcome: 'failed', errorClass: 'permanent' });
    const view = await reach(b, 'failed');
    expect(view.error.reason).toBe('undecryptable');
    // The status stays readable; the evidence loses its words rather than the request failing.
    expect(view.triage.evidence.every((e: { term?: string }) => e.term === undefined)).toBe(true);
  });
});
