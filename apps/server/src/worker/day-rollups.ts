import { sql } from 'kysely';
import type { Kdb } from '../db/database.js';
import { type HourSums, packDay } from '../db/dialects/day-packing.js';
import { UPTIME_WINDOWS } from '../domain/monitoring/uptime.js';
import { chunks } from '../lib/chunks.js';
import { historyMark, hourlyMark, setHistoryMark } from '../domain/monitoring/history-marks.js';
import { hourSumsOf } from '../domain/monitoring/hourly-rows.js';

/**
 * Hourly roll-ups stay one row an hour for this many days (the 30-day uptime, which sums them in SQL, and
 * the 48-hour chart read them so, with a day's margin); older days are packed one row per check and day.
 */
export const HOURLY_ROWS_DAYS = Math.ceil(UPTIME_WINDOWS.month / 24) + 2;

/** The last day packed into check_days (null: none yet). */
export const daysMark = (db: Kdb) => historyMark(db, 'days');

/**
 * Packs the hourly roll-ups of every day older than HOURLY_ROWS_DAYS since the last one packed (and from
 * `firstDay`, the first the hourly retention keeps), oldest first, at most `maxDays` in a pass. For each part of the checks, in one transaction, the day's hourly rows are
 * deleted (and returned) and their packed row inserted; a check that already has its packed row keeps any
 * hourly row written since (a late result) as it is — readers add both. The mark moves on after the day:
 * a pass killed half-way packs the rest of its day on the next one, and nothing is lost or counted twice.
 */
export async function packHourlyDays(
  db: Kdb,
  options: { now: number; firstDay?: number; maxDays?: number; seriesPerStatement?: number },
): Promise<number> {
  // only days whose every hour the hourly job has written (it is normally an hour behind; a hub long down)
  const written = await hourlyMark(db);
  if (written === null) return 0;
  const last = Math.min(
    Math.floor(options.now / (24 * 3600_000)) - HOURLY_ROWS_DAYS - 1,
    Math.floor((written + 1) / 24) - 1,
  );
  const mark = await daysMark(db);
  const next = mark === null ? await oldestHourlyDay(db) : mark + 1;
  if (next === null) return 0;
  let day = Math.max(next, options.firstDay ?? next);
  let packed = 0;
  for (let n = 0; day <= last && n < (options.maxDays ?? 31); day++, n++) {
    const series = (await db.selectFrom('check_series').select('no').orderBy('no').execute()).map((r) => r.no);
    for (const part of chunks(series, options.seriesPerStatement ?? 500)) {
      packed += await packDayOf(db, part, day);
      await new Promise((r) => setImmediate(r)); // let requests in between statements
    }
    await setHistoryMark(db, 'days', day);
  }
  return packed;
}

async function oldestHourlyDay(db: Kdb): Promise<number | null> {
  const row = await db.selectFrom('check_hourly').select(sql<number | null>`min(hour)`.as('hour')).executeTakeFirst();
  return row?.hour === null || row?.hour === undefined ? null : Math.floor(Number(row.hour) / 24);
}

async function packDayOf(db: Kdb, series: readonly number[], day: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const done = new Set(
      (
        await trx
          .selectFrom('check_days')
          .select('series')
          .where('series', 'in', series)
          .where('day', '=', day)
          .execute()
      ).map((r) => Number(r.series)),
    );
    const todo = series.filter((no) => !done.has(no));
    if (todo.length === 0) return 0;
    const rows = await trx
      .deleteFrom('check_hourly')
      .where('series', 'in', todo)
      .where('hour', '>=', day * 24)
      .where('hour', '<', day * 24 + 24)
      .returningAll()
      .execute();
    const bySeries = new Map<number, HourSums[]>();
    for (const r of rows) {
      const list = bySeries.get(Number(r.series)) ?? [];
      list.push(hourSumsOf(r, day * 24));
      bySeries.set(Number(r.series), list);
    }
    const packedRows = [...bySeries].map(([no, hours]) => ({ series: no, day, hours: Buffer.from(packDay(hours)) }));
    for (const batch of chunks(packedRows, 500)) await trx.insertInto('check_days').values(batch).execute();
    return packedRows.length;
  });
}
