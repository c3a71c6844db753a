import { userDisplay } from '../accounts/display.js';
import type { Role, User } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { UsersTable } from '../../db/schema.js';

export type UserRow = UsersTable;

export function presentUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    clientId: row.client_id,
    totpEnabled: row.totp_enabled === 1,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    lastSignInAt: row.last_sign_in_at,
    display: userDisplay(row),
  };
}

/** The fields of a user that may appear in the audit log. */
export function auditableUser(row: UserRow) {
  return {
    email: row.email,
    name: row.name,
    role: row.role,
    clientId: row.client_id,
    disabled: row.disabled === 1,
    totpEnabled: row.totp_enabled === 1,
    locale: row.locale ?? null,
    clock: row.clock ?? null,
  };
}

export function findUserByEmail(db: Kdb, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function findUserById(db: Kdb, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countUsers(db: Kdb): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** People's names by id, for timelines and messages. */
export async function userNames(db: Kdb, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
