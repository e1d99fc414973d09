export * from './mllp-framer.ts';
