import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { migrate, openDb, type DbHandle } from '@triage/db';

export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDb = DbHandle & { url: string; name: string; drop(): Promise<void> };

/** A fresh, migrated database per test file: tests never see each other's rows. */
export async function createTestDb(): Promise<TestDb> {
  const name = `triage_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const u = new URL(ADMIN_DATABASE_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  const handle = await openDb({ url, poolSize: 10 });
  await migrate(handle, url);
  return {
    ...handle,
    url,
    name,
    async drop() {
      await handle.close();
      const a = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
