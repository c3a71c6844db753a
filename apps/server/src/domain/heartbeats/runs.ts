import type { PingStore } from '../../db/dialects/ping-store.js';

/**
 * Runs: a start opens one (per rid; '' for a start without one), its finish closes it and gives its
 * duration. Pairing by rid lets runs that overlap be timed correctly (as healthchecks.io's ?rid=).
 */

/** A start: opens (or restarts) the run of its rid; answers the oldest open run's start. */
export async function openRun(
  store: PingStore,
  heartbeatId: string,
  rid: string | null,
  at: string,
  runningSince: string | null,
): Promise<string> {
  const key = rid ?? '';
  // Always clear the rid's old run first: a restart replaces it, and a left-over row must not clash.
  const replaced = await store.deleteRun(heartbeatId, key);
  await store.insertRun(heartbeatId, key, at);
  if (!runningSince) return at;
  return replaced ? ((await store.oldestRun(heartbeatId)) ?? at) : runningSince < at ? runningSince : at;
}

/**
 * A finish (success, warning, failure): closes the run of its rid and times it if it started within
 * `maxRunMs`. As healthchecks.io: a finish without a rid, or a failure, ends every open run (the job
 * is no longer "running"); a finish with a rid that matches no run leaves the others open.
 */
export async function closeRun(
  store: PingStore,
  heartbeatId: string,
  rid: string | null,
  at: string,
  runningSince: string | null,
  failed: boolean,
  maxRunMs: number,
): Promise<{ runningSince: string | null; durationMs: number | null }> {
  if (!runningSince) return { runningSince: null, durationMs: null };
  const key = rid ?? '';
  const startedAt = await store.runStartedAt(heartbeatId, key);
  const elapsed = startedAt !== null ? Date.parse(at) - Date.parse(startedAt) : null;
  const durationMs = elapsed !== null && elapsed >= 0 && elapsed <= maxRunMs ? elapsed : null;
  if (rid === null || failed) {
    await store.deleteRuns(heartbeatId);
    return { runningSince: null, durationMs };
  }
  if (startedAt === null) return { runningSince, durationMs: null };
  await store.deleteRun(heartbeatId, key);
  // Runs older than the pairing window are forgotten rather than kept "running" for ever.
  await store.deleteRuns(heartbeatId, new Date(Date.parse(at) - maxRunMs).toISOString());
  return { runningSince: await store.oldestRun(heartbeatId), durationMs };
}
