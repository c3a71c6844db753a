import { sql } from 'kysely';
import type { Kdb } from '../db/database.js';
import { type MinuteSums, packMinutes } from '../db/dialects/minute-packing.js';
import { HOUR_MS } from '../db/dialects/result-encoding.js';
import { packedSamples } from '../domain/monitoring/sample-hours.js';
import { chunks } from '../lib/chunks.js';
import { historyMark, setHistoryMark } from './history-marks.js';

/** An hour is rolled up this long after it ends, so that results on their way in are counted. */
export const MINUTE_ROLLUP_GRACE_MS = 5 * 60_000;

/** The last hour written into check_minutes (null: none yet). */
export const minutesMark = (db: Kdb) => historyMark(db, 'minutes');

/**
 * Per-minute sums of the raw results of some series from `from` to `to` (ms; whole minutes), by series, in
 * minute order; `minute` counts minutes since 1970. Raw rows and packed hours are added.
 */
export async function rawMinutes(
  db: Kdb,
  series: readonly number[],
  from: number,
  to: number,
): Promise<Map<number, MinuteSums[]>> {
  const bySeries = new Map<number, MinuteSums[]>();
  if (series.length === 0 || to <= from) return bySeries;
  // latencySumMs in µs until the end, so that a minute's sum is rounded once, whichever rows it came from
  const sums = new Map<number, Map<number, MinuteSums>>();
  const add = (no: number, m: MinuteSums) => {
    const minutes = sums.get(no) ?? new Map<number, MinuteSums>();
    sums.set(no, minutes);
    const sum = minutes.get(m.minute);
    if (!sum) minutes.set(m.minute, m);
    else {
      sum.count += m.count;
      sum.failures += m.failures;
      sum.latencyCount += m.latencyCount;
      sum.latencySumMs += m.latencySumMs;
    }
  };
  const minute = sql<number>`at / 60000`;
  const rows = await db
    .selectFrom('check_samples')
    .select([
      'series',
      minute.as('minute'),
      sql<number>`count(*)`.as('count'),
      sql<number>`sum(case when status = 2 then 1 else 0 end)`.as('failures'),
      sql<number>`count(latency)`.as('latency_count'),
      sql<number>`coalesce(sum(latency), 0)`.as('latency_sum'),
    ])
    .where('series', 'in', series)
    // the hours for PostgreSQL's index (series, hour of at), the times for SQLite's key (series, at)
    .where(sql<number>`at / ${sql.lit(HOUR_MS)}`, '>=', Math.floor(from / HOUR_MS))
    .where(sql<number>`at / ${sql.lit(HOUR_MS)}`, '<=', Math.floor((to - 1) / HOUR_MS))
    .where('at', '>=', from)
    .where('at', '<', to)
    .groupBy(['series', minute])
    .execute();
  for (const r of rows)
    add(Number(r.series), {
      minute: Number(r.minute),
      count: Number(r.count),
      failures: Number(r.failures),
      latencyCount: Number(r.latency_count),
      latencySumMs: Number(r.latency_sum),
    });
  for (const [no, samples] of await packedSamples(db, series, from, to))
    for (const s of samples)
      add(no, {
        minute: Math.floor(s.at / 60_000),
        count: 1,
        failures: s.status === 2 ? 1 : 0,
        latencyCount: s.latency === null ? 0 : 1,
        latencySumMs: s.latency ?? 0,
      });
  for (const [no, minutes] of sums)
    bySeries.set(
      no,
      [...minutes.values()]
        .sort((a, b) => a.minute - b.minute)
        .map((m) => ({ ...m, latencySumMs: Math.round(m.latencySumMs / 100) / 10 })),
    );
  return bySeries;
}

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
  let hour = Math.max(mark === null ? firstWithRaw : mark + 1, firstWithRaw);
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
