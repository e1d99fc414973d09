export * from './types.ts';
export { extractFields, FIELDS_VERSION } from './extract.ts';
export { missingFields, conflictingFields } from './missing.ts';
export { clinicMatcher, type ClinicMatch, type ClinicMatcher } from './clinics.ts';
export { icd10Valid, nhsValid, npiValid, phoneQuality } from './checks.ts';
export * from './fingerprint.ts';
export * from './resend.ts';
