export * from './mllp-framer.ts';
export * from './mllp-server.ts';
export * from './message.ts';
export * from './decode.ts';
export * from './ack.ts';
export * from './interpret.ts';
export * from './responses.ts';
export * from './mllp-client.ts';
