import type { Kdb } from '../../db/database.js';
import { type RawSample, unpackSamples } from '../../db/dialects/raw-packing.js';
import { HOUR_MS } from '../../db/dialects/result-encoding.js';
import { chunks } from '../../lib/chunks.js';

/**
 * Reading the raw results of closed hours, packed one row per check and hour (check_sample_hours, migration
 * 0023). Every reader of raw results adds these to the raw rows (the current hours, and results that arrived
 * late for an hour already packed).
 */

/** The packed results of some series from `from` to `to` (ms, `to` excluded), by series, in time order. */
export async function packedSamples(
  db: Kdb,
  series: readonly number[],
  from: number,
  to: number,
): Promise<Map<number, RawSample[]>> {
  const bySeries = new Map<number, RawSample[]>();
  if (series.length === 0 || to <= from) return bySeries;
  for (const part of chunks(series)) {
    const rows = await db
      .selectFrom('check_sample_hours')
      .select(['series', 'hour', 'samples'])
      .where('series', 'in', part)
      .where('hour', '>=', Math.floor(from / HOUR_MS))
      .where('hour', '<=', Math.floor((to - 1) / HOUR_MS))
      .orderBy('series')
      .orderBy('hour')
      .execute();
    for (const row of rows) {
      const list = bySeries.get(Number(row.series)) ?? [];
      for (const s of unpackSamples(Number(row.hour), row.samples)) if (s.at >= from && s.at < to) list.push(s);
      bySeries.set(Number(row.series), list);
    }
  }
  return bySeries;
}

const PAGE_HOURS = 24;

/**
 * One series' newest packed results from `since` on (ms; null: all), newest first: at least `limit` of them
 * where there are as many (whole hours are read, so there may be more; any result left out is older than
 * all of these).
 */
export async function newestPackedSamples(
  db: Kdb,
  series: number,
  since: number | null,
  limit: number,
): Promise<RawSample[]> {
  const newest: RawSample[] = [];
  let before: number | null = null;
  while (newest.length < limit) {
    let query = db
      .selectFrom('check_sample_hours')
      .select(['hour', 'samples'])
      .where('series', '=', series)
      .orderBy('hour', 'desc')
      .limit(PAGE_HOURS);
    if (since !== null) query = query.where('hour', '>=', Math.floor(since / HOUR_MS));
    if (before !== null) query = query.where('hour', '<', before);
    const rows = await query.execute();
    for (const row of rows)
      for (const s of unpackSamples(Number(row.hour), row.samples).reverse())
        if (since === null || s.at >= since) newest.push(s);
    if (rows.length < PAGE_HOURS) break;
    before = Number(rows.at(-1)!.hour);
  }
  return newest;
}
