import { sql, type Kysely } from 'kysely';
import type { ClaimedCheck } from './types.js';

type Returned = Omit<ClaimedCheck, 'due_at'> & { next_run_at: string };

/**
 * The probe's claim on PostgreSQL: hub checks due by `horizon`, each one's next_run_at moved to its next run
 * after `now` (keeping its phase), in one statement that skips rows another hub process is claiming
 * (FOR UPDATE SKIP LOCKED). SQLite's is sqlite-probe-claim.ts.
 */
export async function postgresClaimDueChecks(
  db: Kysely<any>,
  now: string,
  horizon: string,
  limit: number,
): Promise<ClaimedCheck[]> {
  const { rows } = await sql<Returned>`
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
    returning c.id, c.kind, c.params_json, c.secrets_enc, c.interval_s, c.timeout_ms, c.next_run_at`.execute(db);
  return rows.map((r) => ({ ...r, due_at: new Date(Date.parse(r.next_run_at) - r.interval_s * 1000).toISOString() }));
}
