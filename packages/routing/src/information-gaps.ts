import type { ReferralFields } from '@triage/contracts';
import { conflictingFields, missingFields } from '@triage/fields';
import { requiredFieldsFor, type RoutingPolicy } from './policy.ts';

/**
 * Required fields the referral lacks (globally and for the team it would go to) and fields it gave two values for:
 * each one a review reason, since routing on a guess would send a referral nobody can act on.
 */
export function informationGaps(policy: RoutingPolicy, fields: ReferralFields, team: string | null) {
  const missing = missingFields(fields, requiredFieldsFor(policy, team));
  const conflicts = conflictingFields(fields);
  return { missing, conflicts, reasons: [...missing.map((f) => `missing_information:${f}`), ...conflicts.map((f) => `conflicting:${f}`)] };
}
