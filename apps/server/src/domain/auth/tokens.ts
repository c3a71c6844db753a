import type { Role } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { isoNow } from '../../lib/clock.js';
import { hashToken } from '../../lib/secrets.js';
import type { Actor } from './actor.js';

export const TOKEN_PREFIX = 'ah_';

/** The actor for a Bearer token, or nothing if it is unknown or revoked. */
export async function resolveApiToken(ctx: AppContext, secret: string): Promise<Actor | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await ctx.db.kysely
    .selectFrom('api_tokens')
    .selectAll()
    .where('secret_hash', '=', hashToken(secret))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const now = isoNow(ctx.clock);
  if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) > 60_000) {
    await ctx.db.kysely.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return {
    type: 'token',
    id: row.id,
    userId: row.created_by,
    role: row.role as Role,
    clientId: row.client_id,
    label: `token ${row.name}`,
  };
}
