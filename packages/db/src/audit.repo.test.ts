import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { createTestDb, type TestDb } from '@triage/testkit';
import { auditBacklog, auditHead, recordAudit, sequenceAllAudit, sequenceAudit, verifyAuditChain } from './audit.repo.ts';
import { auditChain, auditEvents } from './schema.ts';

// The append-only triggers stop the owner too; only a superuser who switches triggers off can tamper,
// and that is exactly the attacker the hash chain is for.
async function asSuperuserBypassingTrigger(t: TestDb, stmt: SQL) {
  await t.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(stmt);
  });
}

async function chainOf(n: number): Promise<TestDb> {
  const t = await createTestDb();
  for (let i = 0; i < n; i++) await recordAudit(t.db, { actor: 'a', action: `x${i}`, detail: { i } });
  await sequenceAllAudit(t.db);
  return t;
}

let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(async () => tdb.drop());

describe('audit trail', () => {
  it('takes 64 concurrent writers without a lock, then chains them gap-free while more are written', async () => {
    const write = (i: number) => recordAudit(tdb.db, { actor: `token:${i % 3}`, action: 'document_read', ip: '127.0.0.1', detail: { z: i, a: { y: 1, b: [2, { d: 1, c: 0 }] } } });
    await Promise.all(Array.from({ length: 64 }, (_, i) => write(i)));
    expect(await auditBacklog(tdb.db)).toMatchObject({ pending: 64 });
    // Unchained events are pending, not a break.
    expect(await verifyAuditChain(tdb.db)).toEqual({ ok: true, events: 0, pending: 64 });
    // Sequencers racing each other and the writers: one at a time holds the lock, the rest are `busy`.
    const runs = await Promise.all([sequenceAudit(tdb.db, { batch: 10 }), sequenceAudit(tdb.db, { batch: 10 }), ...Array.from({ length: 16 }, (_, i) => write(100 + i))]);
    expect(runs.slice(0, 2).some((r) => !(r as { busy: boolean }).busy)).toBe(true);
    await sequenceAllAudit(tdb.db);
    expect(await verifyAuditChain(tdb.db)).toEqual({ ok: true, events: 80, pending: 0 });
    const seqs = (await tdb.db.select({ seq: auditChain.seq }).from(auditChain)).map((r) => r.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expect(await auditHead(tdb.db)).toMatchObject({ seq: 80, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('leaves nothing half-chained when the sequencer dies mid-batch', async () => {
    await recordAudit(tdb.db, { actor: 'a', action: 'after_crash' });
    const before = await auditHead(tdb.db);
    await expect(sequenceAudit(tdb.db, { beforeCommit: () => { throw new Error('killed'); } })).rejects.toThrow('killed');
    expect(await auditHead(tdb.db)).toEqual(before);
    expect((await auditBacklog(tdb.db)).pending).toBe(1);
    await sequenceAllAudit(tdb.db);
    expect(await verifyAuditChain(tdb.db)).toMatchObject({ ok: true, events: 81, pending: 0 });
  });

  it('names the link whose event content was altered', async () => {
    const t = await chainOf(5);
    try {
      const [third] = await t.db.select().from(auditChain).where(sql`${auditChain.seq} = 3`);
      await asSuperuserBypassingTrigger(t, sql`update audit_events set action = 'nothing_to_see' where id = ${third!.eventId}`);
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenAt: 3, why: expect.stringMatching(/content/) });
    } finally {
      await t.drop();
    }
  });

  it('names a deleted event, a deleted link, reordered links and an event slipped in outside the write path', async () => {
    const cases: [string, (ids: number[]) => SQL[], number | 'event', RegExp][] = [
      ['deleted event', (ids) => [sql`delete from audit_events where id = ${ids[1]!}`], 2, /deleted/],
      ['deleted link', () => [sql`delete from audit_chain where seq = 2`], 3, /seq 2 is missing/],
      // Swapping two links' positions (unique seq, so in three steps).
      ['reordered', () => [sql`update audit_chain set seq = -2 where seq = 2`, sql`update audit_chain set seq = 2 where seq = 3`, sql`update audit_chain set seq = 3 where seq = -2`], 2, /link/],
      ['slipped in', () => [sql`insert into audit_events (at, actor, action, allowed) values (now(), 'intruder', 'document_read', true)`], 'event', /neither/],
    ];
    for (const [name, tamper, at, why] of cases) {
      const t = await chainOf(4);
      try {
        const ids = (await t.db.select({ id: auditEvents.id }).from(auditEvents).orderBy(auditEvents.id)).map((r) => r.id);
        for (const stmt of tamper(ids)) await asSuperuserBypassingTrigger(t, stmt);
        const v = await verifyAuditChain(t.db);
        expect(v.ok, name).toBe(false);
        if (!v.ok) {
          expect(v.why, name).toMatch(why);
          if (at !== 'event') expect(v.brokenAt, name).toBe(at);
        }
      } finally {
        await t.drop();
      }
    }
  });

  it('refuses to rewrite the chain, even for the owner', async () => {
    await expect(tdb.db.execute(sql`update audit_chain set hash = 'x'`)).rejects.toThrow();
    await expect(tdb.db.execute(sql`delete from audit_chain`)).rejects.toThrow();
  });
});
