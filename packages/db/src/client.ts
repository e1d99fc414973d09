import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that can run a query: the database or an open transaction. */
export type Executor = Db | Tx;

/** Subscribes to a Postgres NOTIFY channel; resolves to an unsubscribe function. */
export type Listen = (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;

export type DbHandle = { db: Db; kind: 'postgres' | 'pglite'; listen: Listen; close(): Promise<void> };

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../drizzle', import.meta.url));
const MIGRATION_LOCK = 7_362_001;

export type DbTls = { mode: 'disable' | 'require' | 'verify-full'; ca?: string | undefined };

export type OpenDbOptions = {
  /** postgres:// URL; absent means the embedded PGlite database under `embeddedDir`. */
  url?: string | undefined;
  tls?: DbTls;
  embeddedDir?: string | undefined;
  poolSize?: number;
};

export async function openDb(opts: OpenDbOptions): Promise<DbHandle> {
  if (opts.url) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const client = postgres(opts.url, { max: opts.poolSize ?? 10, onnotice: () => {}, connect_timeout: 10, ssl: sslOption(opts.tls) });
    const db = drizzle(client, { schema }) as unknown as Db;
    const listen: Listen = async (channel, onPayload) => {
      const sub = await client.listen(channel, onPayload);
      return () => sub.unlisten();
    };
    return { db, kind: 'postgres', listen, close: () => client.end({ timeout: 5 }) };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (!opts.embeddedDir) throw new Error('embeddedDir is required when no DATABASE_URL is set');
  mkdirSync(opts.embeddedDir, { recursive: true });
  const client = new PGlite(opts.embeddedDir);
  const db = drizzle(client, { schema }) as unknown as Db;
  const listen: Listen = async (channel, onPayload) => client.listen(channel, onPayload);
  return { db, kind: 'pglite', listen, close: () => client.close() };
}

/** verify-full: the server certificate must chain to the CA and match the host name. */
function sslOption(tls: DbTls | undefined) {
  if (!tls || tls.mode === 'disable') return false;
  if (tls.mode === 'require') return 'require' as const;
  return { rejectUnauthorized: true, ...(tls.ca ? { ca: tls.ca } : {}) };
}

/** Applies drizzle/ migrations; an advisory lock keeps concurrent starters from racing. */
export async function migrate(handle: DbHandle, url?: string, tls?: DbTls): Promise<void> {
  if (handle.kind === 'pglite') {
    const { migrate: m } = await import('drizzle-orm/pglite/migrator');
    await m(handle.db as never, { migrationsFolder: MIGRATIONS_DIR });
    return;
  }
  if (!url) throw new Error('migrate needs the database url');
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate: m } = await import('drizzle-orm/postgres-js/migrator');
  const single = postgres(url, { max: 1, onnotice: () => {}, ssl: sslOption(tls) });
  try {
    // A least-privilege app role (grantAppRole) may not run drizzle's CREATE SCHEMA: skip when up to date.
    if (await upToDate(single)) return;
    await single`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await m(drizzle(single), { migrationsFolder: MIGRATIONS_DIR });
    await single`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await single.end({ timeout: 5 });
  }
}

async function upToDate(single: import('postgres').Sql): Promise<boolean> {
  const { readFileSync } = await import('node:fs');
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_DIR}/meta/_journal.json`, 'utf8')) as { entries: { when: number }[] };
  const latest = Math.max(...journal.entries.map((e) => e.when));
  try {
    const [row] = await single<{ at: string | null }[]>`select max(created_at)::text as at from drizzle.__drizzle_migrations`;
    return row?.at != null && Number(row.at) >= latest;
  } catch {
    return false; // no journal table yet (or not readable): let the migrator decide
  }
}

/** Row arrays from db.execute, whichever driver is underneath. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
