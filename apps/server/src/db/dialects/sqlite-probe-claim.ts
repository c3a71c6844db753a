import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { nextRunAfterMs } from '../../lib/check-schedule.js';
import type { ClaimedCheck } from './types.js';

type DueRow = [
  rowid: number,
  id: string,
  kind: string,
  params_json: string,
  secrets_enc: string | null,
  interval_s: number,
  timeout_ms: number,
  next_run_at: string,
];

/**
 * The probe's claim on SQLite: the due rows read through the checks_due index and each one's next_run_at
 * moved by rowid, with statements prepared once and rows read as arrays. The single UPDATE … RETURNING it
 * replaces cost about twice the CPU per claimed check (SQLite's date functions per row, the lookup of each
 * id, Kysely preparing the statement again and building its rows property by property), and the claim runs
 * every second while checks are due.
 *
 * It runs on Kysely's one connection, holding it (so no Kysely transaction is open meanwhile), in a
 * transaction of its own that takes the write lock first, so another process on the same file waits.
 */
export function sqliteProbeClaim(database: SQLite.Database) {
  let claim: ReturnType<typeof prepareClaim> | null = null;
  return (db: Kysely<any>, now: string, horizon: string, limit: number): Promise<ClaimedCheck[]> =>
    db.connection().execute(async () => {
      claim ??= prepareClaim(database);
      return claim.immediate(Date.parse(now), horizon, limit);
    });
}

function prepareClaim(database: SQLite.Database) {
  tuneForProbe(database);
  const due = database
    .prepare(
      `select rowid, id, kind, params_json, secrets_enc, interval_s, timeout_ms, next_run_at from checks
       where probe = 'hub' and paused = 0 and next_run_at <= ? order by next_run_at limit ?`,
    )
    .raw();
  const move = database.prepare('update checks set next_run_at = ? where rowid = ?');
  return database.transaction((nowMs: number, horizon: string, limit: number): ClaimedCheck[] => {
    const rows = due.all(horizon, limit) as DueRow[];
    const claimed: ClaimedCheck[] = [];
    for (const [rowid, id, kind, params_json, secrets_enc, interval_s, timeout_ms, nextRunAt] of rows) {
      const next = nextRunAfterMs(Date.parse(nextRunAt), interval_s, nowMs);
      move.run(new Date(next).toISOString(), rowid);
      claimed.push({
        id,
        kind,
        params_json,
        secrets_enc,
        interval_s,
        timeout_ms,
        due_at: new Date(next - interval_s * 1000).toISOString(),
      });
    }
    return claimed;
  });
}

/**
 * Settings for a database that runs the probe: checkpoint every ~40 MB of WAL instead of ~4 MB (the probe
 * rewrites the same pages — checks, roll-ups, the results index — every few seconds, and a checkpoint copies
 * each page once however often it changed: about 10 % less database CPU) unless checkpoints are already
 * taken off the main thread (autocheckpoint 0), and cut the WAL file back to 64 MB after a checkpoint.
 */
function tuneForProbe(database: SQLite.Database): void {
  // 0 means checkpoints are done elsewhere (a checkpoint thread): leave that alone.
  const pages = Number(database.pragma('wal_autocheckpoint', { simple: true }) ?? 0);
  if (pages > 0 && pages < 10000) database.pragma('wal_autocheckpoint = 10000');
  database.pragma('journal_size_limit = 67108864');
}
