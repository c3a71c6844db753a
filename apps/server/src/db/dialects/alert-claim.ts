import { sql } from 'kysely';
import type { Kdb } from '../database.js';
import type { EscalationsTable, StateChangesTable } from '../schema.js';
import type { DialectName } from './types.js';

/**
 * Claims the oldest unprocessed state changes for the alert worker, inside the caller's transaction. Roots
 * come before the changes they caused (a site's change before its checks'). On PostgreSQL the alert worker
 * runs in one hub process at a time (a transaction-level advisory lock, taken without waiting: the others
 * answer nothing), because an alert's changes must be applied in order; the rows are locked FOR UPDATE SKIP
 * LOCKED as well. SQLite has one writer.
 */
export async function claimStateChanges(db: Kdb, dialect: DialectName, limit: number): Promise<StateChangesTable[]> {
  if (dialect === 'postgres') {
    const { rows } = await sql<{
      got: boolean;
    }>`select pg_try_advisory_xact_lock(hashtext('afterhours.alerts')) as got`.execute(db);
    if (!rows[0]?.got) return [];
  }
  let q = db
    .selectFrom('state_changes')
    .selectAll()
    .where('processed_at', 'is', null)
    .orderBy('recorded_at')
    .orderBy(sql`case when root_cause_id is null then 0 else 1 end`)
    .orderBy('at')
    .orderBy('id')
    .limit(limit);
  if (dialect === 'postgres') q = q.forUpdate().skipLocked();
  return (await q.execute()) as StateChangesTable[];
}

/**
 * Claims escalations due by `now`, inside the caller's transaction: several hub processes each take
 * different rows (FOR UPDATE SKIP LOCKED) and hold them until they commit; SQLite has one writer.
 */
export async function claimDueEscalations(
  db: Kdb,
  dialect: DialectName,
  now: string,
  limit: number,
): Promise<EscalationsTable[]> {
  let q = db
    .selectFrom('escalations')
    .selectAll()
    .where('state', '=', 'active')
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(limit);
  if (dialect === 'postgres') q = q.forUpdate().skipLocked();
  return q.execute();
}
