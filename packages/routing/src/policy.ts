import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FIELD_NAMES } from '@triage/contracts';

const team = z.object({ team: z.string().min(1), email: z.string().email() }).strict();

export const routingPolicySchema = z
  .object({
    version: z.string().min(1),
    /** Pauses auto-routing: every case goes to review (e.g. during an incident). */
    paused: z.boolean().default(false),
    thresholds: z
      .object({
        urgency: z.number().min(0).max(1),
        specialty: z.number().min(0).max(1),
        /** Risk is asymmetric: if P(emergent) reaches this while the top label is not emergent, a human looks. */
        emergentReview: z.number().min(0).max(1),
        /** The fields reader's confidence at which a named clinic counts as stated. */
        statedClinic: z.number().min(0).max(1).default(0.9),
        /** The model's probability for a stated clinic it did not rank first at which it no longer contradicts it. */
        clinicSupport: z.number().min(0).max(1).default(0.2),
        /** The fields reader's confidence at which a stated priority becomes a floor. */
        statedPriority: z.number().min(0).max(1).default(0.5),
      })
      .strict(),
    /**
     * When the model is unsure a case is routine but emergency is ruled out: `review` asks a person, `conservative`
     * routes it as urgent (over-triage traded for no-touch; measured by `triage eval --routing`).
     */
    uncertainUrgency: z.enum(['review', 'conservative']).default('review'),
    /**
     * Off (the default), every emergent referral goes to a person at once (`emergent_referral`). On only where the
     * teams' own intake is watched around the clock and triages emergencies itself. Possible emergencies are
     * reviewed either way.
     */
    emergentAutoRoute: z.boolean().default(false),
    /**
     * Trips the pause switch when reviewers override the model, or documents fail, more often than this over the
     * window (with at least `minSamples`); clears it when both are back below 80 % of their limit.
     */
    circuitBreaker: z
      .object({
        overrideRate: z.number().gt(0).max(1).default(0.3),
        failureRate: z.number().gt(0).max(1).default(0.2),
        windowMinutes: z.number().int().positive().default(60),
        minSamples: z.number().int().positive().default(20),
      })
      .strict()
      .default({ overrideRate: 0.3, failureRate: 0.2, windowMinutes: 60, minSamples: 20 }),
    /** How `triage thresholds` chose the thresholds (method, targets, bounds): a record for auditors, not read by routing. */
    thresholdsBasis: z.record(z.string(), z.unknown()).optional(),
    teams: z.record(z.string(), team),
    /**
     * How referrers name clinics, mapped to the specialties above; versioned on its own, since the fields stage
     * records which table read a referral. Phrases are matched case-insensitively on word boundaries.
     */
    clinics: z
      .object({ version: z.string().min(1), synonyms: z.record(z.string(), z.array(z.string().min(2)).min(1)) })
      .strict()
      .default({ version: 'clinics-none', synonyms: {} }),
    /** Fields a referral must carry to be routed without a person asking for them: for every team, and per team. */
    requiredFields: z
      .object({ all: z.array(z.string()).default([]), teams: z.record(z.string(), z.array(z.string())).default({}) })
      .strict()
      .default({ all: [], teams: {} }),
  })
  .strict()
  .superRefine((p, ctx) => {
    // A typo here would silently route referrals that lack the field, or map a clinic to no team.
    const fields = new Set<string>(FIELD_NAMES);
    const required = [...p.requiredFields.all.map((f) => ['requiredFields', 'all', f]), ...Object.entries(p.requiredFields.teams).flatMap(([t, fs]) => fs.map((f) => ['requiredFields', 'teams', t, f]))];
    for (const path of required) if (!fields.has(path.at(-1)!)) ctx.addIssue({ code: 'custom', path: path.slice(0, -1), message: `unknown field ${path.at(-1)}` });
    for (const t of Object.keys(p.requiredFields.teams)) if (!p.teams[t]) ctx.addIssue({ code: 'custom', path: ['requiredFields', 'teams', t], message: 'not a team of this policy' });
    for (const t of Object.keys(p.clinics.synonyms)) if (!p.teams[t]) ctx.addIssue({ code: 'custom', path: ['clinics', 'synonyms', t], message: 'not a team of this policy' });
  });
export type RoutingPolicy = z.infer<typeof routingPolicySchema>;
export type Team = z.infer<typeof team>;

export class PolicyError extends Error {}

/** The fields a referral for `team` must carry: every team's, then the team's own. */
export function requiredFieldsFor(policy: RoutingPolicy, team: string | null): string[] {
  return [...policy.requiredFields.all, ...(team ? (policy.requiredFields.teams[team] ?? []) : [])];
}

export function parsePolicy(json: unknown, origin = 'policy'): RoutingPolicy {
  const r = routingPolicySchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PolicyError(`invalid routing policy ${origin}: ${issues}`);
  }
  return r.data;
}

export function loadPolicy(path: string): RoutingPolicy {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PolicyError(`cannot read routing policy ${path}: ${(e as Error).message}`);
  }
  return parsePolicy(JSON.parse(raw), path);
}
