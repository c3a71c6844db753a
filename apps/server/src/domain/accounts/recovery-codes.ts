import { randomInt } from 'node:crypto';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import { conflict } from '../../http/errors.js';
import { hashToken } from '../../lib/secrets.js';
import { type Actor, userActor } from '../auth/actor.js';
import type { UserRow } from '../auth/users.js';
import { change, type ChangeTx } from '../change.js';
import { assertCurrentPassword, profileUser } from './profile.js';

export const RECOVERY_CODE_COUNT = 10;
/** Crockford's base32: no i, l, o, u, so a code read off paper cannot be mistyped into another. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** 12 characters of 32 = 60 random bits, shown as xxxx-xxxx-xxxx. */
function newRecoveryCode(): string {
  let raw = '';
  for (let i = 0; i < 12; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** How a code is typed does not matter: case, dashes, spaces, and o/i/l for 0/1/1. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
}

/**
 * Each code has 60 random bits, so a fast hash is enough: nobody can try 2^60 guesses against a
 * stolen table, and a slow password hash would only slow sign-in down (as for session tokens).
 */
function hashRecoveryCode(code: string): string {
  return hashToken(`afterhours-recovery:${normalizeRecoveryCode(code)}`);
}

/** Replace the user's codes with ten new ones; the new codes are returned once and never stored. */
export async function replaceRecoveryCodes(tx: ChangeTx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await deleteRecoveryCodes(tx.db, userId);
  await tx.db
    .insertInto('recovery_codes')
    .values(codes.map((code) => ({ user_id: userId, code_hash: hashRecoveryCode(code), created_at: tx.now })))
    .execute();
  return codes;
}

export async function deleteRecoveryCodes(db: Kdb, userId: string): Promise<number> {
  const result = await db.deleteFrom('recovery_codes').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function countRecoveryCodes(db: Kdb, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Use up one code (at sign-in, or to turn two-factor off without the phone): a single DELETE, so of two sign-ins racing with the same code only
 * one deletes the row and succeeds. Returns how many codes are left, or null if the code was wrong.
 */
export async function consumeRecoveryCode(
  ctx: AppContext,
  user: UserRow,
  code: string,
  purpose = 'signed in',
): Promise<number | null> {
  return change(ctx, userActor(user), async (tx) => {
    const result = await tx.db
      .deleteFrom('recovery_codes')
      .where('user_id', '=', user.id)
      .where('code_hash', '=', hashRecoveryCode(code))
      .executeTakeFirst();
    if (Number(result.numDeletedRows) !== 1) return null;
    const left = await countRecoveryCodes(tx.db, user.id);
    await tx.audit({
      action: 'user.recovery_code_used',
      entityType: 'user',
      entityId: user.id,
      clientId: user.client_id,
      summary: `${user.email} ${purpose} with a recovery code (${left} left)`,
    });
    return left;
  });
}

export async function recoveryCodesLeft(ctx: AppContext, actor: Actor): Promise<{ left: number }> {
  const user = await profileUser(ctx, actor);
  return { left: await countRecoveryCodes(ctx.db.kysely, user.id) };
}

/** New codes from the profile, with the password; the old ones stop working. */
export async function regenerateRecoveryCodes(
  ctx: AppContext,
  actor: Actor,
  password: string,
): Promise<{ recoveryCodes: string[]; left: number }> {
  const user = await profileUser(ctx, actor);
  if (user.totp_enabled !== 1) throw conflict('Two-factor sign-in is not on; turn it on to get recovery codes');
  await assertCurrentPassword(ctx, user, password, 'password');
  const recoveryCodes = await change(ctx, actor, async (tx) => {
    const codes = await replaceRecoveryCodes(tx, user.id);
    await tx.audit({
      action: 'user.recovery_codes_regenerate',
      entityType: 'user',
      entityId: user.id,
      clientId: user.client_id,
      summary: `${user.email} made new recovery codes; the old ones no longer work`,
    });
    return codes;
  });
  return { recoveryCodes, left: recoveryCodes.length };
}
