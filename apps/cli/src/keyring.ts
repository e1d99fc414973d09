import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '@triage/config';
import { loadOrCreateDevKey, parseKeyring, type Keyring } from '@triage/crypto';

export const devKeyPath = (config: Config) => join(config.DATA_DIR, 'encryption.key');

/** TRIAGE_ENCRYPTION_KEY, or (never in production: config refuses that) a development key kept under DATA_DIR. */
export function resolveKeyring(config: Config, log: Logger): Keyring {
  if (config.TRIAGE_ENCRYPTION_KEY) return parseKeyring(config.TRIAGE_ENCRYPTION_KEY);
  const path = devKeyPath(config);
  const { spec, created } = loadOrCreateDevKey(path);
  if (created) log.warn({ path }, 'TRIAGE_ENCRYPTION_KEY is not set: generated a development encryption key (never use it in production)');
  return parseKeyring(spec);
}
