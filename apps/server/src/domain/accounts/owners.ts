import type { Kdb } from '../../db/database.js';
import { conflict } from '../../http/errors.js';
import type { UserRow } from '../auth/users.js';

/**
 * Lock every owner row for the rest of the transaction. On PostgreSQL the no-op UPDATE takes row
 * locks, so two owners demoting each other at once are serialised and the second sees the first's
 * change; SQLite serialises writers anyway. Works the same on both, with no dialect switch.
 */
async function lockOwners(db: Kdb): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('role', '=', 'owner')
    .execute();
}

/**
 * Refuse a change that would leave the hub without an active owner: `target` is about to stop
 * being one (demoted, disabled or deleted). Call inside the change's transaction, before writing.
 */
export async function assertOtherOwnerRemains(db: Kdb, target: UserRow, what: string): Promise<void> {
  if (target.role !== 'owner' || target.disabled === 1) return;
  await lockOwners(db);
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'owner')
    .where('disabled', '=', 0)
    .where('id', '!=', target.id)
    .executeTakeFirstOrThrow();
  if (Number(row.n) === 0) {
    throw conflict(`${target.email} is the last active owner and cannot be ${what}; make another user an owner first`);
  }
}
