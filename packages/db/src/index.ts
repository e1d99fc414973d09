export * as schema from './schema.ts';
export * from './client.ts';
export * from './documents.repo.ts';
export * from './attempts.repo.ts';
export * from './tokens.repo.ts';
export * from './review.repo.ts';
export * from './outbox.repo.ts';
export * from './referrals.repo.ts';
export * from './audit.repo.ts';
