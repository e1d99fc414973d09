import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { makeBornDigitalPdf } from '@triage/documents';
import { getPages, schema, verifyAuditChain } from '@triage/db';
import { waitFor } from '@triage/testkit';
import { startSystem, type System } from './system.ts';
import { CARDIO_LETTER, ORTHO_LETTER } from './letters.ts';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../apps/cli/src/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let sys: System;
let intake: string;
let reviewer: string;
let admin: string;

beforeAll(async () => {
  sys = await startSystem();
  [intake, reviewer, admin] = await Promise.all([sys.token('intake'), sys.token('reviewer'), sys.token('admin')]);
}, 120_000);
afterAll(async () => sys?.stop());

async function uploadAndFinish(text: string | Buffer) {
  const res = await fetch(`${sys.url}/v1/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${intake}`, 'content-type': 'application/pdf' },
    body: typeof text === 'string' ? await makeBornDigitalPdf([text]) : text,
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await waitFor(
    async () => {
      const [d] = await sys.rt.dbh.db.select().from(schema.documents).where(eq(schema.documents.id, id));
      return d && ['routed', 'needs_review', 'failed'].includes(d.status) ? d : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250, what: 'the letter to finish' },
  );
  return id;
}

const get = (path: string, token = reviewer) => fetch(`${sys.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('retention end to end', () => {
  it('`triage retention run` purges an old document: content answers 410, the record stays, the run is audited', async () => {
    const cardioPdf = await makeBornDigitalPdf([CARDIO_LETTER]);
    const oldId = await uploadAndFinish(cardioPdf);
    const keptId = await uploadAndFinish(ORTHO_LETTER);
    const before = await get(`/v1/documents/${oldId}/original`);
    expect(before.status).toBe(200);
    expect(Buffer.from(await before.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    // A review task counts as finished only once decided; make this one look finished 10 days ago.
    await sys.rt.dbh.db.execute(sql`update documents set status = 'routed', completed_at = now() - interval '10 days' where id = ${oldId}`);
    const [row] = await sys.rt.dbh.db.select().from(schema.documents).where(eq(schema.documents.id, oldId));
    const storageKey = row!.storageKey;

    const cli = await run(process.execPath, ['--import', 'tsx', MAIN, 'retention', 'run', '--days', '7'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: sys.tdb.url, DATA_DIR: sys.dataDir, LOG_LEVEL: 'silent' },
    });
    expect(JSON.parse(cli.stdout)).toMatchObject({ purged: 1, ids: [oldId], blobsDeleted: 1 });

    const gone = await get(`/v1/documents/${oldId}/original`);
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({ error: { code: 'gone', message: expect.stringMatching(/purged/) } });
    expect(await sys.rt.blobs.exists(storageKey)).toBe(false);
    expect((await getPages(sys.rt.dbh.db, oldId, sys.rt.keyring)).every((p) => p.text === '' && p.purgedAt !== null)).toBe(true);

    // The decision record stays readable.
    const doc = (await (await get(`/v1/documents/${oldId}`)).json()) as Record<string, any>;
    expect(doc).toMatchObject({ id: oldId, purgedAt: expect.any(String), triage: { urgency: { label: expect.any(String) }, specialty: { label: expect.any(String) }, evidence: [] } });
    // The fields read from it were PHI: gone with the content, the names of what was found kept.
    expect(doc.fields).toEqual({});
    const [set] = await sys.rt.dbh.db.select().from(schema.referralFieldSets).where(eq(schema.referralFieldSets.documentId, oldId));
    expect(set).toMatchObject({ fields: '', purgedAt: expect.any(Date), found: expect.arrayContaining(['patientName']) });
    expect((await get(`/v1/documents/${oldId}/provenance`)).status).toBe(200);
    // Nothing to run a new pass on.
    const replay = await fetch(`${sys.url}/v1/documents/${oldId}/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(replay.status).toBe(410);

    // The other document is untouched.
    expect((await get(`/v1/documents/${keptId}/original`)).status).toBe(200);

    const events = await sys.rt.dbh.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'retention_purged'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: expect.stringMatching(/^cli:/), detail: { count: 1, ids: [oldId] } });
    const reads = await sys.rt.dbh.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.documentId, oldId));
    expect(reads.map((e) => e.action)).toEqual(expect.arrayContaining(['document_content_read', 'request_refused']));
    expect(await verifyAuditChain(sys.rt.dbh.db)).toMatchObject({ ok: true });

    // The same bytes sent again are a new document with its own original, not a duplicate of the purged record.
    const againId = await uploadAndFinish(cardioPdf);
    expect(againId).not.toBe(oldId);
    expect((await get(`/v1/documents/${againId}/original`)).status).toBe(200);
  }, 120_000);
});
