export * from './policy.ts';
export * from './decide.ts';
