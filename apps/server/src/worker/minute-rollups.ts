import type { Kdb } from '../db/database.js';
import { packMinutes } from '../db/dialects/minute-packing.js';
import { HOUR_MS } from '../db/dialects/result-encoding.js';
import { chunks } from '../lib/chunks.js';
import { rawMinutes } from '../domain/monitoring/history-queries.js';
import { type HourPassOptions, passOverHours } from './hour-pass.js';

/** An hour is rolled up this long after it ends, so that results on their way in are counted. */
export const MINUTE_ROLLUP_GRACE_MS = 5 * 60_000;

/**
 * Writes the per-minute roll-ups of every hour that is over (and still has its raw results) since the last
 * one written, oldest first, at most `maxHours` in a pass. Rows are only ever inserted (an existing row is
 * left as it is), and the mark moves on after its hour's rows are committed: a pass killed half-way writes
 * the rest of its hour again, never a minute twice.
 */
export async function rollUpMinutes(db: Kdb, options: HourPassOptions): Promise<number> {
  const last = Math.floor((options.now - MINUTE_ROLLUP_GRACE_MS) / HOUR_MS) - 1;
  return passOverHours(db, 'minutes', last, options, async (part, hour) => {
    const sums = await rawMinutes(db, part, hour * HOUR_MS, (hour + 1) * HOUR_MS);
    const rows = [...sums].map(([no, minutes]) => ({
      series: no,
      hour,
      minutes: Buffer.from(packMinutes(minutes.map((m) => ({ ...m, minute: m.minute - hour * 60 })))),
    }));
    for (const batch of chunks(rows, 500))
      await db
        .insertInto('check_minutes')
        .values(batch)
        .onConflict((oc) => oc.columns(['series', 'hour']).doNothing())
        .execute();
    return rows.length;
  });
}
