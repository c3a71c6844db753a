import type { Person } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import { badInput } from '../../http/errors.js';

/** Names of users by id, for presenting shifts; unknown ids get a placeholder rather than failing. */
export async function peopleById(db: Kdb, ids: Iterable<string>): Promise<Map<string, Person>> {
  const unique = [...new Set(ids)];
  const map = new Map<string, Person>();
  if (!unique.length) return map;
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', unique).execute();
  for (const r of rows) map.set(r.id, { id: r.id, name: r.name });
  for (const id of unique) if (!map.has(id)) map.set(id, { id, name: 'Removed user' });
  return map;
}

/** Staff accounts that may be put on call, for pickers. */
export async function onCallPeople(db: Kdb): Promise<Person[]> {
  return db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('role', '!=', 'client')
    .where('disabled', '=', 0)
    .orderBy('name')
    .execute();
}

/** Refuse ids that are not active staff users, naming each field (`participantIds.1`, `userId`). */
export async function assertStaffUsers(db: Kdb, fields: Array<[field: string, id: string]>): Promise<void> {
  if (!fields.length) return;
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', [...new Set(fields.map(([, id]) => id))])
    .where('role', '!=', 'client')
    .where('disabled', '=', 0)
    .execute();
  const ok = new Set(rows.map((r) => r.id));
  const bad = fields.filter(([, id]) => !ok.has(id));
  if (bad.length) throw badInput(Object.fromEntries(bad.map(([field]) => [field, 'is not an active staff user'])));
}

/** `[field.0, id0], [field.1, id1]…` for assertStaffUsers. */
export const indexed = (field: string, ids: string[]): Array<[string, string]> =>
  ids.map((id, i) => [`${field}.${i}`, id]);
