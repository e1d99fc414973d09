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
      })
      .strict(),
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
