export { openRuntime, createLogger, type Runtime } from './runtime.ts';
export { startApi, startMllp, startWorkers, createRegistry, CODE_VERSION } from './serve.ts';
export { rotateKeys, type RotationReport } from './key-rotation.ts';
export { resolveKeyring } from './keyring.ts';
