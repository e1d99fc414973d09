import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { createTestDb, type TestDb } from '@triage/testkit';
import { recordAudit, verifyAuditChain } from './audit.repo.ts';
import { auditEvents } from './schema.ts';

let tdb: TestDb;

// The append-only trigger stops the owner too; only a superuser who switches triggers off can tamper,
// and that is exactly the attacker the hash chain is for.
async function asSuperuserBypassingTrigger(t: TestDb, stmt: SQL) {
  await t.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(stmt);
  });
}
beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(async () => tdb.drop());

describe('audit trail', () => {
  it('chains concurrent writers and verifies', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordAudit(tdb.db, { actor: `token:${i % 3}`, action: 'document_read', ip: '127.0.0.1', detail: { z: i, a: { y: 1, b: [2, { d: 1, c: 0 }] } } }),
      ),
    );
    expect(await verifyAuditChain(tdb.db)).toEqual({ ok: true, events: 20 });
  });

  it('names the first event whose content was altered', async () => {
    const [third] = await tdb.db.select().from(auditEvents).orderBy(auditEvents.id).limit(1).offset(2);
    await asSuperuserBypassingTrigger(tdb, sql`update audit_events set action = 'nothing_to_see' where id = ${third!.id}`);
    const v = await verifyAuditChain(tdb.db);
    expect(v).toMatchObject({ ok: false, brokenAt: third!.id, why: expect.stringMatching(/content/) });
  });

  it('names a broken link when an event is deleted', async () => {
    const t2 = await createTestDb();
    try {
      for (let i = 0; i < 5; i++) await recordAudit(t2.db, { actor: 'a', action: `x${i}` });
      const rows = await t2.db.select().from(auditEvents).orderBy(auditEvents.id);
      await asSuperuserBypassingTrigger(t2, sql`delete from audit_events where id = ${rows[1]!.id}`);
      expect(await verifyAuditChain(t2.db)).toMatchObject({ ok: false, brokenAt: rows[2]!.id, why: expect.stringMatching(/link/) });
    } finally {
      await t2.drop();
    }
  });
});
