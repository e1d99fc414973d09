import type { ExtractInput, ExtractResult } from './types.ts';

export const FIELDS_VERSION = 'fields-0.0.0';

/** Placeholder until the rules land: reads nothing. */
export function extractFields(input: ExtractInput): ExtractResult {
  return { fields: {}, version: FIELDS_VERSION, clinicsVersion: input.clinics.version };
}
