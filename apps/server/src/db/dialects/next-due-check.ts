import type { Kdb } from '../database.js';

/** When the next hub check is due (its next_run_at), or null when none is scheduled: one read of the checks_due index. */
export async function nextDueCheck(db: Kdb): Promise<string | null> {
  const row = await db
    .selectFrom('checks')
    .select('next_run_at')
    .where('probe', '=', 'hub')
    .where('paused', '=', 0)
    .where('next_run_at', 'is not', null)
    .orderBy('next_run_at')
    .limit(1)
    .executeTakeFirst();
  return row?.next_run_at ? new Date(row.next_run_at).toISOString() : null;
}
