import { z } from 'zod';
import { sampleAutoRouted } from '@triage/db';
import { cliActor } from '../cli-actor.ts';
import { withDb } from '../cli-db.ts';
import type { Command } from './command.ts';

const args = z
  .object({
    rate: z.coerce.number().gt(0, 'must be above 0').max(1, 'must be at most 1'),
    since: z.iso.datetime({ offset: true, message: 'must be an ISO date-time' }).transform((v) => new Date(v)).optional(),
    limit: z.coerce.number().int('must be an integer').positive('must be positive').optional(),
  })
  .strict();

/** Sends a random share of auto-routed referrals to a second look: the only way to see the model's errors nobody reviews. */
export const auditSampleCommand: Command<typeof args> = {
  name: ['audit-sample'],
  usage: 'audit-sample --rate R [--since ISO] [--limit N]   open review tasks for a random share R of auto-routed referrals (default since 7 days)',
  args,
  async run(a, { config }) {
    const since = a.since ?? new Date(Date.now() - 7 * 86_400_000);
    const r = await withDb(config, (db) => sampleAutoRouted(db, { since, rate: a.rate, ...(a.limit !== undefined && { limit: a.limit }), actor: cliActor() }));
    console.log(JSON.stringify({ eligible: r.eligible, sampled: r.sampled }));
    return 0;
  },
};
