import type { Config } from '@triage/config';
import { migrate, openDb, type Db } from '@triage/db';
import { dbTls } from './runtime.ts';

/** A one-off command's database: opened (and migrated, as every process does at start), used, closed. */
export async function withDb<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  const h = await openDb({ url: config.DATABASE_URL, embeddedDir: `${config.DATA_DIR}/pglite`, tls: dbTls(config) });
  try {
    await migrate(h, config.DATABASE_URL, dbTls(config));
    return await fn(h.db);
  } finally {
    await h.close();
  }
}
