import { sql } from 'drizzle-orm';
import type { Executor } from './client.ts';

/** A plain Postgres role name: it is interpolated as an identifier, so nothing else is accepted. */
export const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Least privilege for the application's login role: read and write the pipeline tables, no DELETE anywhere
 * (nothing in the product deletes a row), and on audit_events SELECT and INSERT only. Run it as the owner
 * after `triage migrate`, and again after later migrations add tables.
 */
export async function grantAppRole(db: Executor, role: string): Promise<void> {
  if (!ROLE_NAME.test(role)) throw new RangeError('role must match [a-z_][a-z0-9_]*');
  const r = sql.identifier(role);
  await db.execute(sql`grant usage on schema public to ${r}`);
  await db.execute(sql`grant select, insert, update on all tables in schema public to ${r}`);
  await db.execute(sql`revoke update, delete, truncate, references, trigger on table audit_events from ${r}`);
  await db.execute(sql`grant select, insert on table audit_events to ${r}`);
  // The chain is append-only too; the pending list is the sequencer's work queue (rows leave it once chained).
  await db.execute(sql`revoke update, delete, truncate, references, trigger on table audit_chain from ${r}`);
  await db.execute(sql`grant select, insert on table audit_chain to ${r}`);
  await db.execute(sql`grant select, insert, delete on table audit_pending to ${r}`);
  await db.execute(sql`grant usage, select on all sequences in schema public to ${r}`);
  // Every process checks the migration journal at start; it may read it, never change it.
  await db.execute(sql`grant usage on schema drizzle to ${r}`);
  await db.execute(sql`grant select on all tables in schema drizzle to ${r}`);
}
