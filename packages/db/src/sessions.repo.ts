import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { sessions, tokens } from './schema.ts';
import type { Principal } from './tokens.repo.ts';

export type SessionInfo = { sessionId: string; principal: Principal; expiresAt: Date; csrfToken: string };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The CSRF token is derived from the cookie secret, so it needs no storage and a page that can read
 * neither the cookie nor our responses cannot produce it.
 */
export function csrfTokenFor(secret: string): string {
  return createHash('sha256').update(`csrf|${secret}`).digest('base64url');
}

/** Returns the cookie secret once; only its hash is stored. */
export async function createSession(
  db: Executor,
  principal: Principal,
  ttlMs: number,
): Promise<{ secret: string; info: SessionInfo }> {
  // Dead sessions are useless after a day; sign-in is rare enough to tidy up here.
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date(Date.now() - 86_400_000)));
  const secret = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlMs);
  const [row] = await db
    .insert(sessions)
    .values({ hash: sha256(secret), tokenId: principal.tokenId, expiresAt })
    .returning({ id: sessions.id });
  if (!row) throw new Error('session insert returned nothing');
  return { secret, info: { sessionId: row.id, principal, expiresAt, csrfToken: csrfTokenFor(secret) } };
}

/** A session lives only as long as its own expiry and the token it came from (revoked or expired kills it). */
export async function findSession(db: Executor, secret: string): Promise<SessionInfo | null> {
  if (secret.length < 20 || secret.length > 100) return null;
  const now = new Date();
  const [row] = await db
    .select({ id: sessions.id, expiresAt: sessions.expiresAt, tokenId: tokens.id, name: tokens.name, role: tokens.role })
    .from(sessions)
    .innerJoin(tokens, eq(tokens.id, sessions.tokenId))
    .where(
      and(
        eq(sessions.hash, sha256(secret)),
        isNull(sessions.endedAt),
        gt(sessions.expiresAt, now),
        isNull(tokens.revokedAt),
        or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now)),
      ),
    );
  if (!row) return null;
  return {
    sessionId: row.id,
    principal: { tokenId: row.tokenId, name: row.name, role: row.role },
    expiresAt: row.expiresAt,
    csrfToken: csrfTokenFor(secret),
  };
}

export async function endSession(db: Executor, sessionId: string): Promise<void> {
  await db.update(sessions).set({ endedAt: new Date() }).where(and(eq(sessions.id, sessionId), isNull(sessions.endedAt)));
}
