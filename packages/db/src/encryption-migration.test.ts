import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, rowsOf, type Db } from './client.ts';

/** 0001_encryption on PGlite, over rows written before it: evidence and red-flag words are dropped, offsets kept. */
describe('migration 0001_encryption', () => {
  it('runs on PGlite and strips stored terms from existing rows', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const client = new PGlite();
    const db = drizzle(client) as unknown as Db;
    try {
      // The database as it was at 0000_init.
      const before = await mkdtemp(join(tmpdir(), 'mig-'));
      await cp(MIGRATIONS_DIR, before, { recursive: true });
      const journal = JSON.parse(await readFile(join(before, 'meta', '_journal.json'), 'utf8'));
      journal.entries = journal.entries.filter((e: { tag: string }) => e.tag === '0000_init');
      await writeFile(join(before, 'meta', '_journal.json'), JSON.stringify(journal));
      await migrate(db as never, { migrationsFolder: before });

      await db.execute(sql`insert into documents (id, source, sha256, kind, byte_size, storage_key)
        values ('11111111-1111-4111-8111-111111111111', 's', 'x', 'text', 1, 'sha256/x')`);
      await db.execute(sql`insert into classifications (document_id, run, urgency, urgency_confidence, specialty, specialty_confidence, probabilities, evidence, model_version)
        values ('11111111-1111-4111-8111-111111111111', 1, 'urgent', 0.5, 'Urology', 0.5, '{}',
          '[{"head":"urgency","term":"Zelbrecht","start":4,"end":13,"weight":0.2}]', 'm')`);
      await db.execute(sql`insert into referrals (document_id, decision, state, urgency, urgency_confidence, specialty, specialty_confidence, reasons, red_flags, model_version, policy_version, decided_by)
        values ('11111111-1111-4111-8111-111111111111', 'review', 'pending_review', 'urgent', 0.5, 'Urology', 0.5, '[]',
          '[{"ruleId":"stroke","action":"raise_to_emergent","start":1,"end":5,"term":"weak"}]', 'm', 'p', 'model')`);

      await migrate(db as never, { migrationsFolder: MIGRATIONS_DIR });
      const [c] = rowsOf<{ evidence: unknown }>(await db.execute(sql`select evidence from classifications`));
      const [r] = rowsOf<{ red_flags: unknown; storage_key_id: unknown }>(
        await db.execute(sql`select red_flags, d.storage_key_id from referrals join documents d on d.id = referrals.document_id`),
      );
      expect(c?.evidence).toEqual([{ head: 'urgency', start: 4, end: 13, weight: 0.2 }]);
      expect(r?.red_flags).toEqual([{ ruleId: 'stroke', action: 'raise_to_emergent', start: 1, end: 5 }]);
      expect(r?.storage_key_id).toBeNull();
    } finally {
      await client.close();
    }
  });
});
