import type { Kdb } from '../db/database.js';
import { HOUR_MS } from '../db/dialects/result-encoding.js';
import { chunks } from '../lib/chunks.js';
import { rawHours } from '../domain/monitoring/raw-hours.js';
import { type HourPassOptions, passOverHours } from './hour-pass.js';
import { MINUTE_ROLLUP_GRACE_MS } from './minute-rollups.js';

/**
 * Writes the hourly roll-ups (check_hourly) of every hour that is over, with the same grace as the per-minute
 * tier, since the last one written (`history_marks.hourly`), from the raw results (raw rows and packed hours):
 * each row once, instead of ingest upserting it at every batch (a dead row version each time on PostgreSQL).
 * Each hour is one transaction holding the mark's row lock, the mark moved in it (see passOverHours): a pass
 * killed half-way leaves nothing of its hour, and a late result is counted once, here or by ingest. A row
 * already there is replaced by the sums from raw results, which hold everything it could have counted. No hour is
 * skipped (a hub whose job was stopped for longer than the raw results are kept): the retention pass keeps the
 * raw results of the hours after the mark until they are written.
 */
export async function rollUpHours(db: Kdb, options: HourPassOptions): Promise<number> {
  const last = Math.floor((options.now - MINUTE_ROLLUP_GRACE_MS) / HOUR_MS) - 1;
  return passOverHours(db, 'hourly', last, { ...options, locked: true, everyHour: true }, writeHourlyRows);
}

/** Writes one hour's check_hourly rows of some series from their raw results (in the job's transaction). */
export async function writeHourlyRows(trx: Kdb, part: readonly number[], hour: number): Promise<number> {
  const sums = await rawHours(trx, part, hour * HOUR_MS, (hour + 1) * HOUR_MS);
  const rows = [...sums].flatMap(([no, hours]) =>
    hours.map((h) => ({
      series: no,
      hour: h.hour,
      count: h.count,
      failures: h.failures,
      latency_count: h.latencyCount,
      latency_sum: h.latencySum,
      latency_min: h.latencyMin,
      latency_max: h.latencyMax,
    })),
  );
  for (const batch of chunks(rows, 500))
    await trx
      .insertInto('check_hourly')
      .values(batch)
      .onConflict((oc) =>
        oc.columns(['series', 'hour']).doUpdateSet((eb) => ({
          count: eb.ref('excluded.count'),
          failures: eb.ref('excluded.failures'),
          latency_count: eb.ref('excluded.latency_count'),
          latency_sum: eb.ref('excluded.latency_sum'),
          latency_min: eb.ref('excluded.latency_min'),
          latency_max: eb.ref('excluded.latency_max'),
        })),
      )
      .execute();
  return rows.length;
}
