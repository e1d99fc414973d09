export * from './test-db.ts';
export * from './test-redis.ts';
export * from './test-smtp.ts';
export * from './wait.ts';
export * from './stage-env.ts';
export * from './test-keyring.ts';
export * from './shared-dir.ts';
export * from './redis-cluster.ts';
