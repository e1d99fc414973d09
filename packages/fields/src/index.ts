export * from './types.ts';
export { extractFields, FIELDS_VERSION } from './extract.ts';
export { missingFields, conflictingFields } from './missing.ts';
