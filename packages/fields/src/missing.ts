import type { FieldName, ReferralFields } from '@triage/contracts';

/** Required fields the document does not carry, in the order the policy lists them. */
export function missingFields(fields: ReferralFields, required: readonly string[]): FieldName[] {
  return [...new Set(required)].filter((f) => fields[f as FieldName] === undefined) as FieldName[];
}

/** Fields for which the document gave two different values. */
export function conflictingFields(fields: ReferralFields): FieldName[] {
  return (Object.keys(fields) as FieldName[]).filter((f) => (fields[f]?.conflicts?.length ?? 0) > 0);
}
