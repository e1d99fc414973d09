import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getPages, schema, upsertPages, verifyAuditChain } from '@triage/db';
import { createFsBlobStore, type BlobStore } from '@triage/storage';
import { createTestDb, testKeyring, type TestDb } from '@triage/testkit';
import { runRetention } from './retention.ts';

let tdb: TestDb;
let blobs: BlobStore;
const DAY = 86_400_000;
const now = new Date('2030-01-31T00:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);

async function seed(name: string, status: 'routed' | 'failed' | 'needs_review' | 'rejected', completedAt: Date | null, bytes = `letter ${name}`) {
  const { key, sha256 } = await blobs.put(Buffer.from(bytes));
  const [doc] = await tdb.db
    .insert(schema.documents)
    .values({ source: `src-${name}`, sha256, kind: 'text', byteSize: bytes.length, storageKey: key, status, completedAt })
    .returning();
  await upsertPages(tdb.db, [{ documentId: doc!.id, pageNo: 1, source: 'plain', text: `Patient Canary ${name} has chest pain`, ocrConfidence: null, rotation: null, ocrEngine: null }], keyring);
  await tdb.db.insert(schema.classifications).values({
    documentId: doc!.id,
    run: 1,
    urgency: 'urgent',
    urgencyConfidence: 0.8,
    specialty: 'cardiology',
    specialtyConfidence: 0.9,
    probabilities: { urgent: 0.8 },
    evidence: [{ head: 'urgency', term: `canary ${name}`, weight: 1 }],
    modelVersion: 'm1',
  });
  await tdb.db.insert(schema.referrals).values({
    documentId: doc!.id,
    decision: 'auto',
    state: 'routed',
    urgency: 'urgent',
    urgencyConfidence: 0.8,
    specialty: 'cardiology',
    specialtyConfidence: 0.9,
    reasons: ['confident'],
    modelVersion: 'm1',
    policyVersion: 'p1',
    decidedBy: 'model',
  });
  return doc!;
}

const keyring = testKeyring();

beforeAll(async () => {
  tdb = await createTestDb();
  blobs = createFsBlobStore(await mkdtemp(join(tmpdir(), 'retention-')));
});
afterAll(async () => tdb.drop());

describe('retention', () => {
  it('purges content of finished documents past the period and keeps the record, then audits the run', async () => {
    const old = await seed('old', 'routed', daysAgo(40));
    const oldFailed = await seed('old-failed', 'failed', daysAgo(31));
    const recent = await seed('recent', 'routed', daysAgo(5));
    const inReview = await seed('review', 'needs_review', daysAgo(90));
    // Same bytes from another source: one content-addressed blob shared with a document still in its period.
    const sharedOld = await seed('shared-old', 'rejected', daysAgo(60), 'shared bytes');
    const sharedNew = await seed('shared-new', 'routed', daysAgo(1), 'shared bytes');

    const r = await runRetention(tdb.db, blobs, { days: 30, now });
    expect(r).toMatchObject({ purged: 3, blobsDeleted: 2 });
    expect('ids' in r && [...r.ids].sort()).toEqual([old.id, oldFailed.id, sharedOld.id].sort());

    const docs = new Map((await tdb.db.select().from(schema.documents)).map((d) => [d.id, d]));
    for (const d of [old, oldFailed, sharedOld]) {
      expect(docs.get(d.id)!.purgedAt).toEqual(now);
      const pages = await tdb.db.select().from(schema.pages).where(eq(schema.pages.documentId, d.id));
      expect(pages.map((p) => [p.text, p.purgedAt])).toEqual([['', now]]);
      const [c] = await tdb.db.select().from(schema.classifications).where(eq(schema.classifications.documentId, d.id));
      expect(c).toMatchObject({ evidence: [], urgency: 'urgent', urgencyConfidence: expect.closeTo(0.8, 5), specialty: 'cardiology' });
      const [ref] = await tdb.db.select().from(schema.referrals).where(eq(schema.referrals.documentId, d.id));
      expect(ref).toMatchObject({ urgency: 'urgent', specialty: 'cardiology', decision: 'auto', reasons: ['confident'] });
    }
    expect(await blobs.exists(old.storageKey)).toBe(false);
    expect(await blobs.exists(oldFailed.storageKey)).toBe(false);
    // Kept: the shared blob (a live document needs it), the recent one, the one a reviewer still has open.
    expect(await blobs.exists(sharedNew.storageKey)).toBe(true);
    for (const d of [recent, inReview, sharedNew]) {
      expect(docs.get(d.id)!.purgedAt).toBeNull();
      const [p] = await getPages(tdb.db, d.id, keyring);
      expect(p!.text).toContain('Canary');
      expect(await blobs.exists(d.storageKey)).toBe(true);
    }

    const events = await tdb.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'retention_purged'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'system:retention', detail: { count: 3, retentionDays: 30, blobsDeleted: 2 } });
    expect(JSON.stringify(events[0]!.detail)).not.toMatch(/Canary/);
    expect(await verifyAuditChain(tdb.db)).toMatchObject({ ok: true });
  });

  it('a second pass purges nothing new but is still audited; 0 days is off', async () => {
    expect(await runRetention(tdb.db, blobs, { days: 30, now })).toMatchObject({ purged: 0, ids: [] });
    const events = await tdb.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'retention_purged'));
    expect(events.map((e) => (e.detail as { count: number }).count)).toEqual([3, 0]);
    expect(await runRetention(tdb.db, blobs, { days: 0, now })).toEqual({ skipped: 'disabled' });
  });

  it('an upload of the same bytes that commits while the pass deletes the blob keeps its original', async () => {
    const old = await seed('race-old', 'routed', daysAgo(400), 'race bytes');
    let twin: string | undefined;
    const racing: BlobStore = {
      ...blobs,
      async remove(key) {
        // Another connection commits a new document with the same bytes right before the file goes.
        const [row] = await tdb.db
          .insert(schema.documents)
          .values({ source: 'src-race-new', sha256: old.sha256, kind: 'text', byteSize: old.byteSize, storageKey: key, status: 'received' })
          .returning();
        twin = row!.id;
        await blobs.remove(key);
      },
    };
    const r = await runRetention(tdb.db, racing, { days: 30, now });
    expect(r).toMatchObject({ ids: [old.id], blobsDeleted: 0 });
    expect(twin).toBeDefined();
    expect((await blobs.get(old.storageKey)).toString()).toBe('race bytes');
  });

  it('the last sharer purged deletes the shared blob', async () => {
    const later = new Date(now.getTime() + 40 * DAY);
    const r = await runRetention(tdb.db, blobs, { days: 30, now: later });
    expect(r).toMatchObject({ purged: 2 }); // 'recent' and 'shared-new'; the one in review and the received twin stay
    const [sharedNew] = await tdb.db.select().from(schema.documents).where(eq(schema.documents.source, 'src-shared-new'));
    expect(await blobs.exists(sharedNew!.storageKey)).toBe(false);
  });
});
