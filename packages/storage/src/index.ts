export * from './blob-store.ts';
export * from './sealed-store.ts';
