import type { Kdb } from '../db/database.js';
import { HOUR_MS } from '../db/dialects/result-encoding.js';
import { writeMinuteRows } from '../domain/monitoring/minute-rows.js';
import { rawMinutes } from '../domain/monitoring/history-queries.js';
import { type HourPassOptions, passOverHours } from './hour-pass.js';

/** An hour is rolled up this long after it ends, so that results on their way in are counted. */
export const MINUTE_ROLLUP_GRACE_MS = 5 * 60_000;

/**
 * Writes the per-minute roll-ups of every hour that is over (and still has its raw results) since the last
 * one written, oldest first, at most `maxHours` in a pass. The hour is announced first, and the mark moved once
 * all of it is written (see passOverHours): a pass killed half-way writes the rest of its hour on the next one;
 * a row already there is kept — a late result's ingest wrote it from raw results meanwhile, or the pass before.
 */
export async function rollUpMinutes(db: Kdb, options: HourPassOptions): Promise<number> {
  const last = Math.floor((options.now - MINUTE_ROLLUP_GRACE_MS) / HOUR_MS) - 1;
  return passOverHours(db, 'minutes', last, { ...options, announced: true }, async (part, hour) =>
    writeMinuteRows(db, await rawMinutes(db, part, hour * HOUR_MS, (hour + 1) * HOUR_MS), hour, 'keep'),
  );
}
