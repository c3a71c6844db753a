import { type ApiToken, type CreateTokenRequest, canGrantRole, type Role } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { ApiTokensTable } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import { hashToken, newToken } from '../../lib/secrets.js';
import type { Actor } from '../auth/actor.js';
import { assertAccountManager, assertCanGrant } from '../auth/policy.js';
import { TOKEN_PREFIX } from '../auth/tokens.js';
import { type ChangeTx, change } from '../change.js';
import { clientForRole } from './scope.js';

export type CreateTokenInput = z.infer<typeof CreateTokenRequest>;

/** How many characters of the secret are kept in the clear, to recognise a token in a list. */
const PREFIX_LENGTH = 10;

export function presentToken(row: ApiTokensTable): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    clientId: row.client_id,
    prefix: row.prefix,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** The fields of a token that may appear in the audit log: never the secret or its hash. */
function auditableToken(row: ApiTokensTable) {
  return { name: row.name, role: row.role, clientId: row.client_id, prefix: row.prefix, revokedAt: row.revoked_at };
}

export async function listTokens(ctx: AppContext, actor: Actor): Promise<ApiToken[]> {
  assertAccountManager(actor);
  const rows = await ctx.db.kysely
    .selectFrom('api_tokens')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(presentToken);
}

/** Create a token; the secret is returned here once and only its hash is kept. */
export async function createToken(
  ctx: AppContext,
  actor: Actor,
  input: CreateTokenInput,
): Promise<{ token: ApiToken; secret: string }> {
  assertAccountManager(actor);
  assertCanGrant(actor, input.role);
  const secret = newToken(TOKEN_PREFIX);
  return change(ctx, actor, async (tx) => {
    const row: ApiTokensTable = {
      id: newId(),
      name: input.name,
      role: input.role,
      client_id: await clientForRole(tx.db, input.role, input.clientId),
      prefix: secret.slice(0, PREFIX_LENGTH),
      secret_hash: hashToken(secret),
      created_by: actor.userId,
      created_at: tx.now,
      last_used_at: null,
      revoked_at: null,
    };
    await tx.db.insertInto('api_tokens').values(row).execute();
    await tx.audit({
      action: 'token.create',
      entityType: 'token',
      entityId: row.id,
      clientId: row.client_id,
      summary: `API token "${row.name}" created with the ${row.role} role`,
      after: auditableToken(row),
    });
    tx.emit({ entity: 'token', id: row.id, action: 'created', clientId: row.client_id });
    return { token: presentToken(row), secret };
  });
}

/** Revoke a token: from now on it is refused. Revoking a revoked token changes nothing. */
export async function revokeToken(ctx: AppContext, actor: Actor, id: string): Promise<ApiToken> {
  assertAccountManager(actor);
  return change(ctx, actor, async (tx) => {
    const before = await tx.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('The API token');
    assertCanGrant(actor, before.role as Role);
    if (before.revoked_at) return presentToken(before);
    const after = { ...before, revoked_at: tx.now };
    await tx.db.updateTable('api_tokens').set({ revoked_at: tx.now }).where('id', '=', id).execute();
    await tx.audit({
      action: 'token.revoke',
      entityType: 'token',
      entityId: id,
      clientId: before.client_id,
      summary: `API token "${before.name}" revoked`,
      before: auditableToken(before),
      after: auditableToken(after),
    });
    tx.emit({ entity: 'token', id, action: 'updated', clientId: before.client_id });
    return presentToken(after);
  });
}

/**
 * Revoke, inside the change that calls for it, the tokens a user made that they could not make
 * now: all of them once the user is disabled or deleted, else those of a role above what they may
 * grant. Revoked rather than capped: a script then fails loudly with "revoked" (and the audit log
 * says why), instead of carrying on with quietly fewer rights; the user makes a new token.
 */
export async function revokeTokensBeyond(
  tx: ChangeTx,
  userId: string,
  now: { role: Role; disabled: boolean } | 'deleted',
  why: string,
): Promise<void> {
  const tokens = await tx.db
    .selectFrom('api_tokens')
    .selectAll()
    .where('created_by', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
  for (const token of tokens) {
    if (now !== 'deleted' && !now.disabled && canGrantRole(now.role, token.role as Role)) continue;
    const after = { ...token, revoked_at: tx.now };
    await tx.db.updateTable('api_tokens').set({ revoked_at: tx.now }).where('id', '=', token.id).execute();
    await tx.audit({
      action: 'token.revoke',
      entityType: 'token',
      entityId: token.id,
      clientId: token.client_id,
      summary: `API token "${token.name}" revoked: ${why}`,
      before: auditableToken(token),
      after: auditableToken(after),
    });
    tx.emit({ entity: 'token', id: token.id, action: 'updated', clientId: token.client_id });
  }
}
