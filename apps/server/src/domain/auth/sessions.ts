import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { addMs, isoNow } from '../../lib/clock.js';
import { hashToken } from '../../lib/secrets.js';
import { findUserById } from './users.js';

export const SESSION_COOKIE = 'ah_session';

export interface NewSession {
  /** The cookie value; only its hash is stored. */
  token: string;
  csrfToken: string;
  expiresAt: string;
}

export async function createSession(
  ctx: AppContext,
  userId: string,
  meta: { userAgent: string; ip: string },
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = isoNow(ctx.clock);
  const expiresAt = addMs(now, ctx.settings.sessionTtlMs);
  await ctx.db.kysely
    .insertInto('sessions')
    .values({
      id_hash: hashToken(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      user_agent: meta.userAgent.slice(0, 200),
      ip: meta.ip.slice(0, 64),
    })
    .execute();
  await ctx.db.kysely.updateTable('users').set({ last_sign_in_at: now }).where('id', '=', userId).execute();
  return { token, csrfToken, expiresAt };
}

/** The live session and its user for a cookie value, or nothing if unknown, expired or the user is disabled. */
export async function resolveSession(ctx: AppContext, token: string) {
  const now = isoNow(ctx.clock);
  const session = await ctx.db.kysely
    .selectFrom('sessions')
    .selectAll()
    .where('id_hash', '=', hashToken(token))
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!session) return undefined;
  const user = await findUserById(ctx.db.kysely, session.user_id);
  if (!user || user.disabled === 1) return undefined;
  // Touch at most once a minute: a busy phone polling must not turn every read into a write.
  if (Date.parse(now) - Date.parse(session.last_seen_at) > 60_000) {
    await ctx.db.kysely
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('id_hash', '=', session.id_hash)
      .execute();
  }
  return { session, user };
}

export async function deleteSession(ctx: AppContext, token: string): Promise<void> {
  await ctx.db.kysely.deleteFrom('sessions').where('id_hash', '=', hashToken(token)).execute();
}
