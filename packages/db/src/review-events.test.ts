import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb, waitFor } from '@triage/testkit';
import { migrate, openDb, type DbHandle } from './client.ts';
import { claimReviewTask, closeReviewTask, createReviewTask, releaseReviewTask } from './review.repo.ts';
import { createSession, endSession, findSession } from './sessions.repo.ts';
import { createToken, revokeToken } from './tokens.repo.ts';
import { documents, referrals, reviewTasks, sessions } from './schema.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function postgres(): Promise<DbHandle> {
  const t = await createTestDb();
  cleanups.push(() => t.drop());
  return t;
}
async function pglite(): Promise<DbHandle> {
  const h = await openDb({ embeddedDir: await mkdtemp(join(tmpdir(), 'pglite-review-')) });
  await migrate(h);
  cleanups.push(() => h.close());
  return h;
}

async function seedTask(h: DbHandle) {
  const [doc] = await h.db
    .insert(documents)
    .values({ source: 'test', sha256: 'ab'.repeat(32), kind: 'text', byteSize: 1, storageKey: 'k' })
    .returning();
  const [ref] = await h.db
    .insert(referrals)
    .values({
      documentId: doc!.id,
      decision: 'review',
      state: 'pending_review',
      urgency: 'routine',
      urgencyConfidence: 0.5,
      specialty: 'Urology',
      specialtyConfidence: 0.5,
      reasons: ['low_urgency_confidence'],
      modelVersion: 'm1',
      policyVersion: 'p1',
      decidedBy: 'model',
    })
    .returning();
  await createReviewTask(h.db, { documentId: doc!.id, referralId: ref!.id, reasons: ['low_urgency_confidence'] });
  const [task] = await h.db.select().from(reviewTasks).where(eq(reviewTasks.documentId, doc!.id));
  return task!;
}


describe.each([
  ['Postgres', postgres],
  ['PGlite', pglite],
])('review task events and sessions on %s', (_name, open) => {
  it('the migration runs and the trigger announces created, claimed, released and decided (ids only), not renewals', async () => {
    const h = await open();
    const events: { type: string; taskId: string }[] = [];
    const unlisten = await h.listen('review_events', (p) => events.push(JSON.parse(p)));
    const alice = await createToken(h.db, { role: 'reviewer', name: 'alice' });
    const bob = await createToken(h.db, { role: 'reviewer', name: 'bob' });
    const task = await seedTask(h);
    expect((await claimReviewTask(h.db, task.id, alice.id, 60_000)).kind).toBe('claimed');
    expect((await claimReviewTask(h.db, task.id, alice.id, 60_000)).kind).toBe('claimed'); // renewal: no event
    expect((await releaseReviewTask(h.db, task.id, bob.id)).kind).toBe('held');
    expect((await releaseReviewTask(h.db, task.id, alice.id)).kind).toBe('released');
    expect((await claimReviewTask(h.db, task.id, bob.id, 60_000)).kind).toBe('claimed');
    expect(await closeReviewTask(h.db, task.id, bob.id, { action: 'confirm' })).toBeTruthy();
    // Notifications arrive in commit order, so once the last one (decided) is here any renewal event would be too.
    await waitFor(async () => events.length >= 5, { what: 'five task events' });
    expect(events).toEqual(['created', 'claimed', 'released', 'claimed', 'decided'].map((type) => ({ type, taskId: task.id })));
    await unlisten();
  });

  it('a session is found by its secret only, and dies when ended, expired or its token is revoked', async () => {
    const h = await open();
    const t = await createToken(h.db, { role: 'reviewer', name: 'carol' });
    const principal = { tokenId: t.id, name: 'carol', role: 'reviewer' as const };
    const s = await createSession(h.db, principal, 60_000);
    const found = await findSession(h.db, s.secret);
    expect(found).toMatchObject({ sessionId: s.info.sessionId, principal, csrfToken: s.info.csrfToken });
    expect(found!.csrfToken).not.toBe(s.secret);
    expect(await findSession(h.db, `${s.secret.slice(0, -1)}x`)).toBeNull();
    const [row] = await h.db.select().from(sessions).where(eq(sessions.id, s.info.sessionId));
    expect(row!.hash).not.toContain(s.secret);

    const ended = await createSession(h.db, principal, 60_000);
    await endSession(h.db, ended.info.sessionId);
    expect(await findSession(h.db, ended.secret)).toBeNull();

    const short = await createSession(h.db, principal, 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await findSession(h.db, short.secret)).toBeNull();

    await revokeToken(h.db, t.id);
    expect(await findSession(h.db, s.secret)).toBeNull();

    // Sessions dead for over a day are purged at the next sign-in.
    await h.db.update(sessions).set({ expiresAt: new Date(Date.now() - 2 * 86_400_000) }).where(eq(sessions.id, short.info.sessionId));
    const next = await createSession(h.db, principal, 60_000);
    const left = (await h.db.select({ id: sessions.id }).from(sessions)).map((r) => r.id);
    expect(left).not.toContain(short.info.sessionId);
    expect(left).toEqual(expect.arrayContaining([s.info.sessionId, ended.info.sessionId, next.info.sessionId]));
  });
});
