export * from './cipher.ts';
export * from './keyring.ts';
