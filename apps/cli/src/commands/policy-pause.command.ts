import { z } from 'zod';
import { ALL_TEAMS, pauseRouting, resumeRouting } from '@triage/db';
import { loadPolicy } from '@triage/routing';
import { cliActor } from '../cli-actor.ts';
import { withDb } from '../cli-db.ts';
import type { Command } from './command.ts';

const pauseArgs = z.object({ team: z.string().min(1).optional(), reason: z.string().min(3, 'say why (at least 3 characters)') }).strict();
const resumeArgs = z.object({ team: z.string().min(1).optional() }).strict();

/** A team must exist in the running policy: a typo would pause nothing while the operator thinks it is paused. */
function scopeOf(team: string | undefined, policyPath: string): string {
  if (team === undefined) return ALL_TEAMS;
  const teams = Object.values(loadPolicy(policyPath).teams).map((t) => t.team);
  if (!teams.includes(team)) throw new Error(`no team "${team}" in the policy (teams: ${teams.join(', ')})`);
  return team;
}

export const policyPauseCommand: Command<typeof pauseArgs> = {
  name: ['policy', 'pause'],
  usage: 'policy pause [--team T] --reason R      send every new decision (of team T, or all) to review as policy_paused (audited)',
  args: pauseArgs,
  async run(a, { config }) {
    const scope = scopeOf(a.team, config.ROUTING_POLICY);
    const changed = await withDb(config, (db) => pauseRouting(db, { scope, reason: a.reason, source: 'operator', actor: cliActor() }));
    console.log(JSON.stringify({ scope, paused: true, changed }));
    return 0;
  },
};

export const policyResumeCommand: Command<typeof resumeArgs> = {
  name: ['policy', 'resume'],
  usage: 'policy resume [--team T]               automatic routing again (audited); clears a circuit-breaker pause too',
  args: resumeArgs,
  async run(a, { config }) {
    const scope = scopeOf(a.team, config.ROUTING_POLICY);
    const changed = await withDb(config, (db) => resumeRouting(db, { scope, actor: cliActor() }));
    console.log(JSON.stringify({ scope, paused: false, changed }));
    return 0;
  },
};
