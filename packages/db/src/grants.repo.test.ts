import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { ADMIN_DATABASE_URL, createTestDb, type TestDb } from '@triage/testkit';
import { migrate, openDb, rowsOf } from './client.ts';
import { recordAudit, sequenceAllAudit, verifyAuditChain } from './audit.repo.ts';
import { grantAppRole } from './grants.repo.ts';
import { createAuditedToken, findPrincipal, revokeAuditedToken } from './tokens.repo.ts';
import { auditEvents } from './schema.ts';

let tdb: TestDb;
const role = `triage_app_${randomBytes(4).toString('hex')}`;
let admin: ReturnType<typeof postgres>;

beforeAll(async () => {
  tdb = await createTestDb();
  admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create role ${role} login`);
  await recordAudit(tdb.db, { actor: 'a', action: 'first' });
  await recordAudit(tdb.db, { actor: 'a', action: 'second' });
});
afterAll(async () => {
  await tdb.drop();
  await admin.unsafe(`drop role if exists ${role}`);
  await admin.end();
});

const pgCode = (e: unknown) => (e as { code?: string; cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code;

describe('append-only audit_events', () => {
  it('refuses UPDATE, DELETE and TRUNCATE even to the owner, and the chain still verifies', async () => {
    for (const stmt of [
      sql`update audit_events set action = 'rewritten'`,
      sql`delete from audit_events`,
      sql`truncate audit_events`,
      // A statement that matches no row is refused as well: nothing to probe.
      sql`delete from audit_events where id = -1`,
    ]) {
      const err = await tdb.db.execute(stmt).then(() => null, (e: unknown) => e);
      expect(err, String(stmt.queryChunks)).not.toBeNull();
      // TRUNCATE is stopped even before the trigger: the chain's foreign keys reference every event.
      expect(['42501', '0A000']).toContain(pgCode(err));
    }
    await sequenceAllAudit(tdb.db);
    expect(await verifyAuditChain(tdb.db)).toEqual({ ok: true, events: 2, pending: 0 });
  });

  it('has no UPDATE, DELETE or TRUNCATE granted to PUBLIC', async () => {
    const rows = rowsOf<{ p: string }>(
      await tdb.db.execute(sql`select privilege_type as p from information_schema.role_table_grants where table_name = 'audit_events' and grantee = 'PUBLIC'`),
    );
    expect(rows.map((r) => r.p)).toEqual([]);
  });

  it('grant-app-role: the app role can read and append the trail, never change it, and can run the pipeline', async () => {
    await grantAppRole(tdb.db, role);
    const u = new URL(tdb.url);
    u.username = role;
    const app = await openDb({ url: u.toString(), poolSize: 2 });
    try {
      await migrate(app, u.toString()); // every process checks migrations at start: a no-op it must be allowed
      await recordAudit(app.db, { actor: 'app', action: 'third' });
      // The app role runs the sequencer too: it appends to the chain and clears the pending list.
      await sequenceAllAudit(app.db);
      expect(await verifyAuditChain(app.db)).toEqual({ ok: true, events: 3, pending: 0 });
      const tok = await createAuditedToken(app.db, { role: 'intake', name: 'granted' }, 'test');
      expect(await findPrincipal(app.db, tok.token)).toMatchObject({ name: 'granted' });
      for (const stmt of [sql`update audit_events set action = 'x'`, sql`delete from audit_events`, sql`truncate audit_events`, sql`delete from tokens`, sql`update audit_chain set hash = 'x'`, sql`delete from audit_chain`]) {
        const err = await app.db.execute(stmt).then(() => null, (e: unknown) => e);
        expect(pgCode(err)).toBe('42501');
      }
    } finally {
      await app.close();
    }
    await expect(grantAppRole(tdb.db, 'x; drop table documents')).rejects.toThrow(RangeError);
  });

  it('token creation and revocation are audited', async () => {
    const { id } = await createAuditedToken(tdb.db, { role: 'reviewer', name: 'dr-who' }, 'cli:tester');
    expect(await revokeAuditedToken(tdb.db, id, 'cli:tester')).toBe(true);
    const rows = await tdb.db.select().from(auditEvents).orderBy(auditEvents.id);
    const mine = rows.filter((r) => (r.detail as { tokenId?: string } | null)?.tokenId === id);
    expect(mine.map((r) => [r.action, r.actor])).toEqual([
      ['token_created', 'cli:tester'],
      ['token_revoked', 'cli:tester'],
    ]);
    expect(mine[0]!.detail).toMatchObject({ role: 'reviewer', name: 'dr-who' });
    expect(await verifyAuditChain(tdb.db)).toMatchObject({ ok: true });
  });
});

describe('append-only audit_events on the embedded database', () => {
  it('PGlite runs the migration and refuses an UPDATE too', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'pglite-audit-'));
    const h = await openDb({ embeddedDir: dir });
    try {
      await migrate(h);
      await recordAudit(h.db, { actor: 'a', action: 'only' });
      const err = await h.db.execute(sql`update audit_events set action = 'x'`).then(() => null, (e: { cause?: Error }) => e.cause);
      expect(err?.message).toMatch(/append-only: UPDATE refused/);
      await sequenceAllAudit(h.db);
      expect(await verifyAuditChain(h.db)).toEqual({ ok: true, events: 1, pending: 0 });
    } finally {
      await h.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
