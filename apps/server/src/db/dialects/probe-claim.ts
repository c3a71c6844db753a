import { sql } from 'kysely';
import type { Kdb } from '../database.js';
import type { DialectName } from './types.js';

/** A hub check claimed for one run. `due_at` is the run's scheduled time. */
export interface ClaimedCheck {
  id: string;
  kind: string;
  params_json: string;
  secrets_enc: string | null;
  interval_s: number;
  timeout_ms: number;
  due_at: string;
}

/**
 * Claims hub checks due by `horizon` and moves each one's next_run_at to its next run after `now`
 * (keeping its phase), in one statement, so that no other hub process claims the same run.
 * PostgreSQL skips rows another process is claiming (FOR UPDATE SKIP LOCKED); SQLite has one writer.
 */
export async function claimDueChecks(
  db: Kdb,
  dialect: DialectName,
  now: string,
  horizon: string,
  limit: number,
): Promise<ClaimedCheck[]> {
  const query = dialect === 'postgres' ? postgresClaim(now, horizon, limit) : sqliteClaim(now, horizon, limit);
  const { rows } = await query.execute(db);
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

function sqliteClaim(now: string, horizon: string, limit: number) {
  return sql<Returned>`
    update checks
    set next_run_at = strftime('%Y-%m-%dT%H:%M:%fZ', next_run_at,
      '+' || (interval_s * (max(0, cast((julianday(${now}) - julianday(next_run_at)) * 86400.0 / interval_s as integer)) + 1)) || ' seconds')
    where id in (
      select id from checks
      where probe = 'hub' and paused = 0 and next_run_at <= ${horizon}
      order by next_run_at
      limit ${limit}
    )
    returning id, kind, params_json, secrets_enc, interval_s, timeout_ms, next_run_at`;
}

/**
 * Settings for a database that runs the probe. SQLite: checkpoint every ~40 MB of WAL instead of ~4 MB
 * (the probe rewrites the same pages — checks, roll-ups, the results index — every few seconds, and a
 * checkpoint copies each page once however often it changed: about 10 % less database CPU) unless checkpoints
 * are already taken off the main thread (autocheckpoint 0), and cut the
 * WAL file back to 64 MB after a checkpoint. PostgreSQL: nothing.
 */
export async function tuneForProbe(db: Kdb, dialect: DialectName): Promise<void> {
  if (dialect !== 'sqlite') return;
  // 0 means checkpoints are done elsewhere (a checkpoint thread): leave that alone.
  const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
  const pages = Number(rows[0]?.wal_autocheckpoint ?? 0);
  if (pages > 0 && pages < 10000) await sql`pragma wal_autocheckpoint = 10000`.execute(db);
  await sql`pragma journal_size_limit = 67108864`.execute(db);
}
