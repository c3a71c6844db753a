import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { HourSums } from '../../db/dialects/day-packing.js';
import { HOUR_MS } from '../../db/dialects/result-encoding.js';
import { atOfKey, keyRange, keysOfSeries, seriesOfKey } from '../../db/dialects/result-key.js';
import { chunks } from '../../lib/chunks.js';
import { packedSamples } from './sample-hours.js';
import { hourSumsOf } from './hourly-rows.js';

/**
 * Hourly sums of the raw results of some series from `from` to `to` (ms; whole hours), by series, in hour order
 * (`hour` counts hours since 1970, latencies in µs as check_hourly keeps them): raw rows summed in SQL and packed
 * hours in JavaScript, added. What the history job writes into check_hourly, and what readers add for the hours
 * after its mark. One series is read by its key range (any span); several by key ranges and IN lists (an hour).
 */
export async function rawHours(
  db: Kdb,
  series: readonly number[],
  from: number,
  to: number,
): Promise<Map<number, HourSums[]>> {
  const sums = new Map<number, Map<number, HourSums>>();
  if (series.length === 0 || to <= from) return new Map();
  const add = (no: number, h: HourSums) => {
    const hours = sums.get(no) ?? new Map<number, HourSums>();
    sums.set(no, hours);
    const sum = hours.get(h.hour);
    if (!sum) return hours.set(h.hour, h);
    sum.count += h.count;
    sum.failures += h.failures;
    sum.latencyCount += h.latencyCount;
    sum.latencySum += h.latencySum;
    sum.latencyMin = extreme(sum.latencyMin, h.latencyMin, Math.min);
    sum.latencyMax = extreme(sum.latencyMax, h.latencyMax, Math.max);
  };
  const hour = sql<number>`${atOfKey('r.key')} / ${sql.lit(HOUR_MS)}`;
  // 100 series a statement: SQLite limits how deep an expression (this OR of key ranges) may nest.
  for (const part of chunks(series, 100)) {
    const rows = await db
      .selectFrom('check_samples as r')
      .leftJoin('check_texts as t', 't.id', 'r.text')
      .select([
        seriesOfKey('r.key').as('series'),
        hour.as('hour'),
        sql<number>`count(*)`.as('count'),
        sql<number>`sum(case when coalesce(t.status, 2) = 2 then 1 else 0 end)`.as('failures'),
        sql<number>`count(r.latency)`.as('latency_count'),
        sql<number>`coalesce(sum(r.latency), 0)`.as('latency_sum'),
        sql<number | null>`min(r.latency)`.as('latency_min'),
        sql<number | null>`max(r.latency)`.as('latency_max'),
      ])
      .where(part.length === 1 ? keyRange('r.key', part[0]!, from, to) : keysOfSeries('r.key', part, from, to))
      .groupBy([seriesOfKey('r.key'), hour])
      .execute();
    for (const r of rows) add(Number(r.series), hourSumsOf(r));
  }
  for (const [no, samples] of await packedSamples(db, series, from, to))
    for (const s of samples)
      add(no, {
        hour: Math.floor(s.at / HOUR_MS),
        count: 1,
        failures: s.status === 2 ? 1 : 0,
        latencyCount: s.latency === null ? 0 : 1,
        latencySum: s.latency ?? 0,
        latencyMin: s.latency,
        latencyMax: s.latency,
      });
  const bySeries = new Map<number, HourSums[]>();
  for (const [no, hours] of sums)
    bySeries.set(
      no,
      [...hours.values()].sort((a, b) => a.hour - b.hour),
    );
  return bySeries;
}

function extreme(a: number | null, b: number | null, pick: (x: number, y: number) => number): number | null {
  return a === null ? b : b === null ? a : pick(a, b);
}
