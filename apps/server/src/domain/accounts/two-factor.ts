import type { User } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { AppError, badInput, conflict } from '../../http/errors.js';
import { clearFailures, lockedUntil, recordFailure } from '../auth/throttle.js';
import type { Actor } from '../auth/actor.js';
import { newTotpSecret, totpEnrolment, verifyTotp } from '../auth/totp.js';
import { auditableUser, presentUser, type UserRow } from '../auth/users.js';
import { change, type ChangeTx } from '../change.js';
import { assertAccountManager } from '../auth/policy.js';
import { findUserById } from '../auth/users.js';
import { notFound } from '../../http/errors.js';
import { profileUser } from './profile.js';
import { assertMayManage } from './users.js';
import { endSessions } from './sessions.js';
import { consumeRecoveryCode, deleteRecoveryCodes, replaceRecoveryCodes } from './recovery-codes.js';

/** Wrong codes count towards a lock-out, so a stolen session cannot guess its way through. */
async function assertCode(ctx: AppContext, user: UserRow, secret: string, code: string): Promise<void> {
  const key = `totp:${user.id}`;
  if (await lockedUntil(ctx, [key]))
    throw new AppError(429, 'rate_limited', 'Too many wrong codes; wait a few minutes and try again');
  if (!verifyTotp(secret, code, ctx.clock.now())) {
    await recordFailure(ctx, key, ctx.settings.signIn.maxFailures);
    throw badInput({ code: 'is not right; check the time on your phone and enter the newest code' });
  }
  await clearFailures(ctx, key);
}

/** Like assertCode, for a recovery code; a right one is used up. */
async function assertRecoveryCode(ctx: AppContext, user: UserRow, code: string): Promise<void> {
  const key = `totp:${user.id}`;
  if (await lockedUntil(ctx, [key]))
    throw new AppError(429, 'rate_limited', 'Too many wrong codes; wait a few minutes and try again');
  if ((await consumeRecoveryCode(ctx, user, code, 'turned off two-factor')) === null) {
    await recordFailure(ctx, key, ctx.settings.signIn.maxFailures);
    throw badInput({ recoveryCode: 'is not right or was used already' });
  }
  await clearFailures(ctx, key);
}

async function saveTotp(
  tx: ChangeTx,
  user: UserRow,
  values: Pick<UserRow, 'totp_secret_enc' | 'totp_pending_enc' | 'totp_enabled'>,
  action: string,
  summary: string,
): Promise<UserRow> {
  const after: UserRow = { ...user, ...values, updated_at: tx.now };
  await tx.db
    .updateTable('users')
    .set({ ...values, updated_at: tx.now })
    .where('id', '=', user.id)
    .execute();
  await tx.audit({
    action,
    entityType: 'user',
    entityId: user.id,
    clientId: user.client_id,
    summary,
    before: auditableUser(user),
    after: auditableUser(after),
  });
  // Recovery codes belong to one enrolment: turning two-factor off (or a reset) ends them too.
  if (values.totp_enabled === 0) await deleteRecoveryCodes(tx.db, user.id);
  tx.emit({ entity: 'user', id: user.id, action: 'updated', clientId: user.client_id });
  return after;
}

/**
 * Start (or restart) two-factor enrolment: a new secret, kept encrypted as pending until a code
 * from the authenticator app proves it was scanned.
 */
export async function startTotpSetup(ctx: AppContext, actor: Actor) {
  const user = await profileUser(ctx, actor);
  if (user.totp_enabled === 1)
    throw conflict('Two-factor sign-in is already on; turn it off first to enrol a new phone');
  const secret = newTotpSecret();
  await change(ctx, actor, (tx) =>
    saveTotp(
      tx,
      user,
      { totp_pending_enc: ctx.secrets.encrypt(secret), totp_secret_enc: null, totp_enabled: 0 },
      'user.totp_setup',
      `${user.email} started two-factor setup`,
    ),
  );
  return totpEnrolment(secret, user.email);
}

/** Turn two-factor on; the answer carries the ten recovery codes, the only time they are shown. */
export async function enableTotp(
  ctx: AppContext,
  actor: Actor,
  code: string,
): Promise<User & { recoveryCodes: string[] }> {
  const user = await profileUser(ctx, actor);
  if (user.totp_enabled === 1) throw conflict('Two-factor sign-in is already on');
  if (!user.totp_pending_enc)
    throw conflict('Start two-factor setup first: no authenticator secret is waiting to be confirmed');
  await assertCode(ctx, user, ctx.secrets.decrypt(user.totp_pending_enc), code);
  const { after, recoveryCodes } = await change(ctx, actor, async (tx) => {
    const saved = await saveTotp(
      tx,
      user,
      { totp_secret_enc: user.totp_pending_enc, totp_pending_enc: null, totp_enabled: 1 },
      'user.totp_enable',
      `${user.email} turned on two-factor sign-in (with ten new recovery codes)`,
    );
    return { after: saved, recoveryCodes: await replaceRecoveryCodes(tx, user.id) };
  });
  return { ...presentUser(after), recoveryCodes };
}

/** Turn two-factor off with a current code, or (the phone lost) one of the recovery codes. */
export async function disableTotp(
  ctx: AppContext,
  actor: Actor,
  proof: { code?: string | undefined; recoveryCode?: string | undefined },
): Promise<User> {
  const user = await profileUser(ctx, actor);
  if (user.totp_enabled !== 1 || !user.totp_secret_enc) throw conflict('Two-factor sign-in is not on');
  if (proof.recoveryCode) await assertRecoveryCode(ctx, user, proof.recoveryCode);
  else await assertCode(ctx, user, ctx.secrets.decrypt(user.totp_secret_enc), proof.code ?? '');
  const after = await change(ctx, actor, (tx) =>
    saveTotp(
      tx,
      user,
      { totp_secret_enc: null, totp_pending_enc: null, totp_enabled: 0 },
      'user.totp_disable',
      `${user.email} turned off two-factor sign-in`,
    ),
  );
  return presentUser(after);
}

/**
 * For a user who lost their phone: an owner or admin turns their two-factor off (and signs them out
 * everywhere) so they can sign in with the password and enrol a new phone.
 */
export async function resetTwoFactor(ctx: AppContext, actor: Actor, userId: string): Promise<User> {
  assertAccountManager(actor);
  const after = await change(ctx, actor, async (tx) => {
    const user = await findUserById(tx.db, userId);
    if (!user) throw notFound('The user');
    assertMayManage(actor, user);
    const saved = await saveTotp(
      tx,
      user,
      { totp_secret_enc: null, totp_pending_enc: null, totp_enabled: 0 },
      'user.totp_reset',
      `Two-factor sign-in of ${user.email} reset by ${actor.label}`,
    );
    await endSessions(tx.db, user.id);
    return saved;
  });
  return presentUser(after);
}
