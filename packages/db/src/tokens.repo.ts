import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { Db, Executor } from './client.ts';
import { appendAudit } from './audit.repo.ts';
import { tokens } from './schema.ts';

export type Role = (typeof tokens.$inferSelect)['role'];
export type Principal = { tokenId: string; name: string; role: Role };

const PREFIX = 'trt_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Returns the token once; only its hash is stored. */
export async function createToken(
  db: Executor,
  input: { role: Role; name: string; expiresAt?: Date | null },
): Promise<{ id: string; token: string }> {
  const token = PREFIX + randomBytes(32).toString('base64url');
  const [row] = await db
    .insert(tokens)
    .values({ role: input.role, name: input.name, hash: hashToken(token), expiresAt: input.expiresAt ?? null })
    .returning({ id: tokens.id });
  if (!row) throw new Error('token insert returned nothing');
  return { id: row.id, token };
}

export async function findPrincipal(db: Executor, token: string): Promise<Principal | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const hash = hashToken(token);
  const now = new Date();
  const [row] = await db
    .select()
    .from(tokens)
    .where(and(eq(tokens.hash, hash), isNull(tokens.revokedAt), or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now))));
  // The index lookup is by hash of a 256-bit secret; the compare below keeps the final check constant-time.
  if (!row || !timingSafeEqual(Buffer.from(row.hash, 'hex'), Buffer.from(hash, 'hex'))) return null;
  return { tokenId: row.id, name: row.name, role: row.role };
}

export async function revokeToken(db: Executor, id: string): Promise<boolean> {
  const res = await db.update(tokens).set({ revokedAt: new Date() }).where(eq(tokens.id, id)).returning({ id: tokens.id });
  return res.length > 0;
}

/** Token creation with its audit event in the same transaction: no token exists that the trail does not name. */
export async function createAuditedToken(
  db: Db,
  input: { role: Role; name: string; expiresAt?: Date | null },
  actor: string,
): Promise<{ id: string; token: string }> {
  return db.transaction(async (tx) => {
    const created = await createToken(tx, input);
    await appendAudit(tx, {
      actor,
      action: 'token_created',
      detail: { tokenId: created.id, role: input.role, name: input.name, expiresAt: input.expiresAt?.toISOString() ?? null },
    });
    return created;
  });
}

export async function revokeAuditedToken(db: Db, id: string, actor: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const ok = await revokeToken(tx, id);
    if (ok) await appendAudit(tx, { actor, action: 'token_revoked', detail: { tokenId: id } });
    return ok;
  });
}
