import type { CreateUserRequest, Role, UpdateUserRequest, User } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { conflict, notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { hashPassword } from '../auth/passwords.js';
import { assertAccountManager, assertCanGrant } from '../auth/policy.js';
import { auditableUser, findUserByEmail, findUserById, presentUser, type UserRow } from '../auth/users.js';
import { change } from '../change.js';
import { assertOtherOwnerRemains } from './owners.js';
import { clientForRole, isUniqueViolation } from './scope.js';
import { endSessions } from './sessions.js';
import { revokeTokensBeyond } from './tokens.js';

export type CreateUserInput = z.infer<typeof CreateUserRequest>;
export type UpdateUserInput = z.infer<typeof UpdateUserRequest>;

const emailTaken = (email: string) =>
  conflict(`A user with the e-mail ${email} already exists`, { email: 'is already in use' });

export async function listUsers(ctx: AppContext, actor: Actor): Promise<User[]> {
  assertAccountManager(actor);
  const rows = await ctx.db.kysely.selectFrom('users').selectAll().orderBy('email').execute();
  return rows.map(presentUser);
}

export async function getUser(ctx: AppContext, actor: Actor, id: string): Promise<User> {
  assertAccountManager(actor);
  const row = await findUserById(ctx.db.kysely, id);
  if (!row) throw notFound('The user');
  return presentUser(row);
}

export async function createUser(ctx: AppContext, actor: Actor, input: CreateUserInput): Promise<User> {
  assertAccountManager(actor);
  assertCanGrant(actor, input.role);
  const passwordHash = await hashPassword(input.password);
  try {
    return await change(ctx, actor, async (tx) => {
      const clientId = await clientForRole(tx.db, input.role, input.clientId);
      if (await findUserByEmail(tx.db, input.email)) throw emailTaken(input.email);
      const row = newUserRow(
        { email: input.email, name: input.name, role: input.role, clientId, passwordHash },
        tx.now,
      );
      await tx.db.insertInto('users').values(row).execute();
      await tx.audit({
        action: 'user.create',
        entityType: 'user',
        entityId: row.id,
        clientId,
        summary: `User ${row.email} created as ${row.role}`,
        after: auditableUser(row),
      });
      tx.emit({ entity: 'user', id: row.id, action: 'created', clientId });
      return presentUser(row);
    });
  } catch (error) {
    // Two creations racing past the check above: the unique index has the last word.
    if (isUniqueViolation(error)) throw emailTaken(input.email);
    throw error;
  }
}

/** An admin may not touch an owner's account; nobody may grant a role above their own. */
export function assertMayManage(actor: Actor, target: UserRow): void {
  if (target.role === 'owner') assertCanGrant(actor, 'owner');
}

export async function updateUser(ctx: AppContext, actor: Actor, id: string, input: UpdateUserInput): Promise<User> {
  assertAccountManager(actor);
  if (input.role) assertCanGrant(actor, input.role);
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return change(ctx, actor, async (tx) => {
    const before = await findUserById(tx.db, id);
    if (!before) throw notFound('The user');
    assertMayManage(actor, before);

    const role = (input.role ?? before.role) as Role;
    const roleChanged = role !== before.role;
    // A staff role clears the client unless one is named (which clientForRole then refuses).
    const requestedClient =
      input.clientId !== undefined ? input.clientId : roleChanged && role !== 'client' ? null : before.client_id;
    const clientId = await clientForRole(tx.db, role, requestedClient);
    const disabled = input.disabled === undefined ? before.disabled : input.disabled ? 1 : 0;

    if (role !== 'owner') await assertOtherOwnerRemains(tx.db, before, 'demoted');
    if (disabled === 1) await assertOtherOwnerRemains(tx.db, before, 'disabled');

    const after: UserRow = {
      ...before,
      name: input.name ?? before.name,
      role,
      client_id: clientId,
      disabled,
      password_hash: passwordHash ?? before.password_hash,
      updated_at: tx.now,
    };
    const changed = describeChanges(before, after, passwordHash !== undefined);
    if (changed.length === 0) return presentUser(before);

    await tx.db
      .updateTable('users')
      .set({
        name: after.name,
        role: after.role,
        client_id: after.client_id,
        disabled: after.disabled,
        password_hash: after.password_hash,
        updated_at: tx.now,
      })
      .where('id', '=', id)
      .execute();
    if ((disabled === 1 && before.disabled === 0) || passwordHash) await endSessions(tx.db, id);
    if (roleChanged || disabled !== before.disabled)
      await revokeTokensBeyond(tx, id, { role, disabled: disabled === 1 }, `${after.email} ${changed.join(', ')}`);
    await tx.audit({
      action: 'user.update',
      entityType: 'user',
      entityId: id,
      clientId: after.client_id ?? before.client_id,
      summary: `User ${after.email}: ${changed.join(', ')}`,
      before: auditableUser(before),
      after: auditableUser(after),
    });
    tx.emit({ entity: 'user', id, action: 'updated', clientId: after.client_id });
    return presentUser(after);
  });
}

function describeChanges(before: UserRow, after: UserRow, passwordReset: boolean): string[] {
  const changed: string[] = [];
  if (after.name !== before.name) changed.push('name changed');
  if (after.role !== before.role) changed.push(`role ${before.role} → ${after.role}`);
  if (after.client_id !== before.client_id) changed.push('client changed');
  if (after.disabled !== before.disabled) changed.push(after.disabled ? 'disabled' : 'enabled');
  if (passwordReset) changed.push('password reset');
  return changed;
}

export async function deleteUser(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertAccountManager(actor);
  await change(ctx, actor, async (tx) => {
    const before = await findUserById(tx.db, id);
    if (!before) throw notFound('The user');
    assertMayManage(actor, before);
    await assertOtherOwnerRemains(tx.db, before, 'deleted');
    await revokeTokensBeyond(tx, id, 'deleted', `${before.email} deleted`);
    await tx.db.deleteFrom('users').where('id', '=', id).execute();
    await tx.audit({
      action: 'user.delete',
      entityType: 'user',
      entityId: id,
      clientId: before.client_id,
      summary: `User ${before.email} deleted`,
      before: auditableUser(before),
    });
    tx.emit({ entity: 'user', id, action: 'deleted', clientId: before.client_id });
  });
}

/** A new account's row: no two-factor yet, enabled, never signed in. */
export function newUserRow(
  user: { email: string; name: string; role: Role; clientId: string | null; passwordHash: string },
  now: string,
): UserRow {
  return {
    id: newId(),
    email: user.email,
    name: user.name,
    role: user.role,
    client_id: user.clientId,
    password_hash: user.passwordHash,
    totp_secret_enc: null,
    totp_pending_enc: null,
    totp_enabled: 0,
    disabled: 0,
    created_at: now,
    updated_at: now,
    last_sign_in_at: null,
    locale: null,
    clock: null,
  };
}
