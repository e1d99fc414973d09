export { buildServer, type ApiDeps } from './server.ts';
export { accessPolicy } from './access-policy.ts';
export * from './services/ops.service.ts';
export { startMllpListener, type MllpListenerOptions } from './mllp-listener.ts';
export { receiveHl7, type Hl7Endpoint, type Hl7IntakeDeps, type Hl7Result } from './services/hl7-intake.service.ts';
export { acceptDocument, type IntakeInput, type IntakePrincipal, type IntakeResult } from './services/intake.service.ts';
