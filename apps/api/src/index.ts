export { buildServer, type ApiDeps } from './server.ts';
export { accessPolicy } from './access-policy.ts';
export * from './services/ops.service.ts';
