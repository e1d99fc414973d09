export * from './runner.ts';
export * from './errors.ts';
export * from './stage-handler.ts';
export * from './worker-host.ts';
export * from './handlers.ts';
export * from './reconciler.ts';
export * from './metrics.ts';
export * from './stages/notify/mailer.ts';
