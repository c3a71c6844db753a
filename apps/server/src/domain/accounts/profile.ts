import type { UpdateProfileRequest, User } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError, badInput, forbidden } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { clearFailures, lockedUntil, recordFailure } from '../auth/throttle.js';
import { auditableUser, findUserById, presentUser, type UserRow } from '../auth/users.js';
import { change } from '../change.js';
import { endSessions } from './sessions.js';

export type UpdateProfileInput = z.infer<typeof UpdateProfileRequest>;

/** The signed-in user behind the actor. API tokens have no profile of their own. */
export async function profileUser(ctx: AppContext, actor: Actor): Promise<UserRow> {
  if (actor.type !== 'user' || !actor.userId)
    throw forbidden('API tokens have no profile; sign in as a person to do this');
  const row = await findUserById(ctx.db.kysely, actor.userId);
  if (!row) throw new AppError(401, 'unauthenticated', 'Sign in to continue');
  return row;
}

/**
 * Check the current password before a change that needs it. Failures count towards the same
 * kind of lock-out as sign-in, so a stolen session cannot be used to guess the password.
 */
export async function assertCurrentPassword(
  ctx: AppContext,
  user: UserRow,
  password: string | undefined,
  field = 'currentPassword',
): Promise<void> {
  const key = `password:${user.id}`;
  const until = await lockedUntil(ctx, [key]);
  if (until) throw new AppError(429, 'rate_limited', 'Too many wrong passwords; wait a few minutes and try again');
  if (!password || !(await verifyPassword(user.password_hash, password))) {
    await recordFailure(ctx, key, ctx.settings.signIn.maxFailures);
    throw badInput({ [field]: 'is not your current password' });
  }
  await clearFailures(ctx, key);
}

/** Change one's own name and/or password. A new password signs out every other session. */
export async function updateProfile(
  ctx: AppContext,
  actor: Actor,
  input: UpdateProfileInput,
  currentSession: string | null,
): Promise<User> {
  const user = await profileUser(ctx, actor);
  let passwordHash: string | undefined;
  if (input.newPassword) {
    await assertCurrentPassword(ctx, user, input.currentPassword);
    passwordHash = await hashPassword(input.newPassword);
  }
  const name = input.name ?? user.name;
  const locale = input.display?.locale === undefined ? user.locale : input.display.locale;
  const clock = input.display?.clock === undefined ? user.clock : input.display.clock;
  const displayChanged = locale !== user.locale || clock !== user.clock;
  if (name === user.name && !passwordHash && !displayChanged) return presentUser(user);
  return change(ctx, actor, async (tx) => {
    const after: UserRow = {
      ...user,
      name,
      locale,
      clock,
      password_hash: passwordHash ?? user.password_hash,
      updated_at: tx.now,
    };
    await tx.db
      .updateTable('users')
      .set({ name, locale, clock, password_hash: after.password_hash, updated_at: tx.now })
      .where('id', '=', user.id)
      .execute();
    if (passwordHash) await endSessions(tx.db, user.id, currentSession);
    const changed = [
      name !== user.name ? 'name changed' : '',
      passwordHash ? 'password changed' : '',
      displayChanged ? `dates and times: ${locale ?? 'firm’s locale'}, ${clock ?? 'firm’s clock'}` : '',
    ].filter(Boolean);
    await tx.audit({
      action: 'user.profile',
      entityType: 'user',
      entityId: user.id,
      clientId: user.client_id,
      summary: `${user.email} updated their profile: ${changed.join(', ')}`,
      before: auditableUser(user),
      after: auditableUser(after),
    });
    tx.emit({ entity: 'user', id: user.id, action: 'updated', clientId: user.client_id });
    return presentUser(after);
  });
}
