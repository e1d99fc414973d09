export * from './policy.ts';
export * from './decide.ts';
export * from './red-flags.ts';
export * from './decide-with-red-flags.ts';
export * from './stated.ts';
export * from './information-gaps.ts';
