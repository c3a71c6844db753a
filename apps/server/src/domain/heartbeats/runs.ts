import type { Kdb } from '../../db/database.js';

/**
 * Runs: a start opens one (per rid; '' for a start without one), its finish closes it and gives its
 * duration. Pairing by rid lets runs that overlap be timed correctly (as healthchecks.io's ?rid=).
 */

async function oldestOpen(db: Kdb, heartbeatId: string): Promise<string | null> {
  const row = await db.selectFrom('heartbeat_runs').select((eb) => eb.fn.min('started_at').as('oldest')).where('heartbeat_id', '=', heartbeatId).executeTakeFirst();
  return (row?.oldest as string | null | undefined) ?? null;
}

/** A start: opens (or restarts) the run of its rid; answers the oldest open run's start. */
export async function openRun(db: Kdb, heartbeatId: string, rid: string | null, at: string, runningSince: string | null): Promise<string> {
  const key = rid ?? '';
  // Always clear the rid's old run first: a restart replaces it, and a left-over row must not clash.
  const replaced = await db.deleteFrom('heartbeat_runs').where('heartbeat_id', '=', heartbeatId).where('rid', '=', key).executeTakeFirst();
  await db.insertInto('heartbeat_runs').values({ heartbeat_id: heartbeatId, rid: key, started_at: at }).execute();
  if (!runningSince) return at;
  return Number(replaced.numDeletedRows) > 0 ? ((await oldestOpen(db, heartbeatId)) ?? at) : runningSince < at ? runningSince : at;
}

/**
 * A finish (success, warning, failure): closes the run of its rid and times it if it started within
 * `maxRunMs`. As healthchecks.io: a finish without a rid, or a failure, ends every open run (the job
 * is no longer "running"); a finish with a rid that matches no run leaves the others open.
 */
export async function closeRun(db: Kdb, heartbeatId: string, rid: string | null, at: string, runningSince: string | null, failed: boolean, maxRunMs: number): Promise<{ runningSince: string | null; durationMs: number | null }> {
  if (!runningSince) return { runningSince: null, durationMs: null };
  const key = rid ?? '';
  const run = await db.selectFrom('heartbeat_runs').select('started_at').where('heartbeat_id', '=', heartbeatId).where('rid', '=', key).executeTakeFirst();
  const elapsed = run ? Date.parse(at) - Date.parse(run.started_at) : null;
  const durationMs = elapsed !== null && elapsed >= 0 && elapsed <= maxRunMs ? elapsed : null;
  if (rid === null || failed) {
    await db.deleteFrom('heartbeat_runs').where('heartbeat_id', '=', heartbeatId).execute();
    return { runningSince: null, durationMs };
  }
  if (!run) return { runningSince, durationMs: null };
  await db.deleteFrom('heartbeat_runs').where('heartbeat_id', '=', heartbeatId).where('rid', '=', key).execute();
  // Runs older than the pairing window are forgotten rather than kept "running" for ever.
  await db.deleteFrom('heartbeat_runs').where('heartbeat_id', '=', heartbeatId).where('started_at', '<', new Date(Date.parse(at) - maxRunMs).toISOString()).execute();
  return { runningSince: await oldestOpen(db, heartbeatId), durationMs };
}
