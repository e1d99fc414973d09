export * from './stages.ts';
export * from './outcomes.ts';
export * from './transitions.ts';
export * from './documents.ts';

export * from './definitions.ts';
export * from './fields.ts';
