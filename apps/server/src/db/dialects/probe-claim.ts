import { sql } from 'kysely';
import type { Kdb } from '../database.js';
import type { ClaimedCheck } from './types.js';

/**
 * Claims hub checks due by `horizon` and moves each one's next_run_at to its next run after `now` (keeping
 * its phase), skipping rows another process is claiming (FOR UPDATE SKIP LOCKED), in one statement: the
 * PostgreSQL side of `DialectSupport.claimDueChecks` (SQLite's is sqlite-probe-claim.ts).
 */
export async function postgresClaimDueChecks(
  db: Kdb,
  now: string,
  horizon: string,
  limit: number,
): Promise<ClaimedCheck[]> {
  const { rows } = await postgresClaim(now, horizon, limit).execute(db);
  return rows.map((r) => ({ ...r, due_at: new Date(Date.parse(r.next_run_at) - r.interval_s * 1000).toISOString() }));
}

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

type Returned = Omit<ClaimedCheck, 'due_at'> & { next_run_at: string };

function postgresClaim(now: string, horizon: string, limit: number) {
  return sql<Returned>`
    with due as (
      select id from checks
      where probe = 'hub' and paused = 0 and next_run_at <= ${horizon}::timestamptz
      order by next_run_at
      limit ${limit}
      for update skip locked
    )
    update checks c
    set next_run_at = c.next_run_at + c.interval_s * (greatest(0, floor(extract(epoch from (${now}::timestamptz - c.next_run_at)) / c.interval_s)) + 1) * interval '1 second'
    from due
    where c.id = due.id
    returning c.id, c.kind, c.params_json, c.secrets_enc, c.interval_s, c.timeout_ms, c.next_run_at`;
}
