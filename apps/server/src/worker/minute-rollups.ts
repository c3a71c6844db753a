import type { Kdb } from '../db/database.js';
import { packMinutes } from '../db/dialects/minute-packing.js';
import { HOUR_MS } from '../db/dialects/result-encoding.js';
import { chunks } from '../lib/chunks.js';
import { setHistoryMark } from '../domain/monitoring/history-marks.js';
import { minutesMark, oldestRawHour, rawMinutes } from '../domain/monitoring/history-queries.js';

/** An hour is rolled up this long after it ends, so that results on their way in are counted. */
export const MINUTE_ROLLUP_GRACE_MS = 5 * 60_000;

/**
 * Writes the per-minute roll-ups of every hour that is over (and still has its raw results) since the last
 * one written, oldest first, at most `maxHours` in a pass. Rows are only ever inserted (an existing row is
 * left as it is), and the mark moves on after its hour's rows are committed: a pass killed half-way writes
 * the rest of its hour again, never a minute twice.
 */
export async function rollUpMinutes(
  db: Kdb,
  options: { now: number; resultRetentionDays: number; maxHours?: number; seriesPerStatement?: number },
): Promise<number> {
  const last = Math.floor((options.now - MINUTE_ROLLUP_GRACE_MS) / HOUR_MS) - 1;
  const firstWithRaw = Math.ceil((options.now - options.resultRetentionDays * 24 * HOUR_MS) / HOUR_MS);
  const mark = await minutesMark(db);
  // Without a mark, from the oldest raw result: not an empty week of hours, each a statement per 500 checks.
  const first = mark === null ? await oldestRawHour(db) : mark + 1;
  if (first === null) return 0;
  let hour = Math.max(first, firstWithRaw);
  let written = 0;
  for (let n = 0; hour <= last && n < (options.maxHours ?? 24 * 8); hour++, n++) {
    const series = (await db.selectFrom('check_series').select('no').orderBy('no').execute()).map((r) => r.no);
    for (const part of chunks(series, options.seriesPerStatement ?? 500)) {
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
      written += rows.length;
      await new Promise((r) => setImmediate(r)); // let requests in between statements
    }
    await setHistoryMark(db, 'minutes', hour);
  }
  return written;
}
