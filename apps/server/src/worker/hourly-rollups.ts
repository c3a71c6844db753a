import type { Kdb } from '../db/database.js';
import { HOUR_MS } from '../db/dialects/result-encoding.js';
import { writeHourlyRows } from '../domain/monitoring/hourly-rows.js';
import { rawHours } from '../domain/monitoring/raw-hours.js';
import { type HourPassOptions, passOverHours } from './hour-pass.js';
import { MINUTE_ROLLUP_GRACE_MS } from './minute-rollups.js';

/**
 * Writes the hourly roll-ups (check_hourly) of every hour that is over, with the same grace as the per-minute
 * tier, since the last one written (`history_marks.hourly`), from the raw results (raw rows and packed hours):
 * each row once, instead of ingest upserting it at every batch (a dead row version each time on PostgreSQL).
 * The hour is announced first, and the mark moved once all of it is written (see passOverHours): a pass killed
 * half-way writes the rest of its hour on the next one; a row already there is kept — a late result's ingest
 * wrote it from raw results meanwhile (domain/monitoring/late-results.ts), or the pass before. No hour is
 * skipped (a hub whose job was stopped for longer than the raw results are kept): the retention pass keeps the
 * raw results of the hours after the mark until they are written.
 */
export async function rollUpHours(db: Kdb, options: HourPassOptions): Promise<number> {
  const last = Math.floor((options.now - MINUTE_ROLLUP_GRACE_MS) / HOUR_MS) - 1;
  return passOverHours(db, 'hourly', last, { ...options, announced: true, everyHour: true }, (part, hour) =>
    writeHourOf(db, part, hour),
  );
}

/** Writes one hour's check_hourly rows of some series from their raw results, keeping rows already there. */
export async function writeHourOf(db: Kdb, part: readonly number[], hour: number): Promise<number> {
  return writeHourlyRows(db, await rawHours(db, part, hour * HOUR_MS, (hour + 1) * HOUR_MS), 'keep');
}
