import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb, type TestDb } from '@triage/testkit';
import { ALL_TEAMS, listPauses, pausedFor, pauseRouting, resumeRouting } from './pauses.repo.ts';
import { auditEvents } from './schema.ts';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb();
});
afterAll(async () => tdb.drop());

const events = async (action: string) => (await tdb.db.select().from(auditEvents).where(eq(auditEvents.action, action))).length;

describe('the pause switch', () => {
  it('trips once however many processes try at the same time, and is audited once', async () => {
    const tries = await Promise.all(
      Array.from({ length: 8 }, () => pauseRouting(tdb.db, { scope: ALL_TEAMS, reason: 'override rate 0.41 (limit 0.3)', source: 'circuit_breaker', actor: 'system:circuit-breaker' })),
    );
    expect(tries.filter(Boolean)).toHaveLength(1);
    expect(await events('circuit_breaker_tripped')).toBe(1);
    expect(pausedFor(await listPauses(tdb.db), 'Cardiology')).toMatchObject({ scope: '*', source: 'circuit_breaker' });
  });

  it('lets the breaker clear only its own pause; an operator clears any', async () => {
    await pauseRouting(tdb.db, { scope: 'Urology', reason: 'new referral form rolled out', source: 'operator', actor: 'cli:ops' });
    expect(await resumeRouting(tdb.db, { scope: 'Urology', source: 'circuit_breaker', actor: 'system:circuit-breaker' })).toBe(false);
    expect(pausedFor(await listPauses(tdb.db), 'Urology')?.scope).toBe('*');
    expect(await resumeRouting(tdb.db, { scope: ALL_TEAMS, source: 'circuit_breaker', actor: 'system:circuit-breaker' })).toBe(true);
    expect(await events('circuit_breaker_cleared')).toBe(1);
    expect(pausedFor(await listPauses(tdb.db), 'Urology')).toMatchObject({ scope: 'Urology', source: 'operator' });
    expect(pausedFor(await listPauses(tdb.db), 'Cardiology')).toBeUndefined();
    expect(await resumeRouting(tdb.db, { scope: 'Urology', actor: 'cli:ops' })).toBe(true);
    expect(await events('routing_resumed')).toBe(1);
    expect(await listPauses(tdb.db)).toEqual([]);
  });
});
