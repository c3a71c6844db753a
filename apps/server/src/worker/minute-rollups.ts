import type { Kdb } from '../db/database.js';
import { HOUR_MS } from '../db/dialects/result-encoding.js';
import { writeMinuteRows } from '../domain/monitoring/minute-rows.js';
import { rawMinutes } from '../domain/monitoring/history-queries.js';
import { type HourPassOptions, passOverHours } from './hour-pass.js';

/** An hour is rolled up this long after it ends, so that results on their way in are counted. */
export const MINUTE_ROLLUP_GRACE_MS = 5 * 60_000;

/**
 * Writes the per-minute roll-ups of every hour that is over (and still has its raw results) since the last
 * one written, oldest first, at most `maxHours` in a pass. Each hour is one transaction holding the mark's row
 * lock, the mark moved in it (see passOverHours): a pass killed half-way leaves nothing of its hour, and a late
 * result is counted once, here or by ingest (which rewrites its check's row of a closed hour).
 */
export async function rollUpMinutes(db: Kdb, options: HourPassOptions): Promise<number> {
  const last = Math.floor((options.now - MINUTE_ROLLUP_GRACE_MS) / HOUR_MS) - 1;
  return passOverHours(db, 'minutes', last, { ...options, locked: true }, async (trx, part, hour) => {
    const sums = await rawMinutes(trx, part, hour * HOUR_MS, (hour + 1) * HOUR_MS);
    return writeMinuteRows(trx, sums, hour);
  });
}
