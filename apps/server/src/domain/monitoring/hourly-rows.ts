import type { Kdb } from '../../db/database.js';
import type { HourSums } from '../../db/dialects/day-packing.js';
import { chunks } from '../../lib/chunks.js';

/** A check_hourly row of one series from an hour's sums (hours since 1970). */
export function hourlyRow(series: number, h: HourSums) {
  return {
    series,
    hour: h.hour,
    count: h.count,
    failures: h.failures,
    latency_count: h.latencyCount,
    latency_sum: h.latencySum,
    latency_min: h.latencyMin,
    latency_max: h.latencyMax,
  };
}

/** An hour's sums from a check_hourly row or a query with its columns (numbers as the driver gives them). */
export function hourSumsOf(
  r: {
    hour: number | string;
    count: number | string;
    failures: number | string;
    latency_count: number | string;
    latency_sum: number | string;
    latency_min: number | string | null;
    latency_max: number | string | null;
  },
  hourOffset = 0,
): HourSums {
  return {
    hour: Number(r.hour) - hourOffset,
    count: Number(r.count),
    failures: Number(r.failures),
    latencyCount: Number(r.latency_count),
    latencySum: Number(r.latency_sum),
    latencyMin: r.latency_min === null ? null : Number(r.latency_min),
    latencyMax: r.latency_max === null ? null : Number(r.latency_max),
  };
}

/**
 * Writes hourly roll-ups (check_hourly) from hourly sums of all of their hours' raw results (rawHours). A row
 * already there is kept (`keep`: the history job, whose row a late result's ingest may have written meanwhile)
 * or replaced (`replace`: ingest, writing a late result's hour again from raw results).
 */
export async function writeHourlyRows(
  db: Kdb,
  sums: Map<number, HourSums[]>,
  onConflict: 'keep' | 'replace',
): Promise<number> {
  const rows = [...sums].flatMap(([no, hours]) => hours.map((h) => hourlyRow(no, h)));
  for (const batch of chunks(rows, 500))
    await db
      .insertInto('check_hourly')
      .values(batch)
      .onConflict((oc) =>
        onConflict === 'keep'
          ? oc.columns(['series', 'hour']).doNothing()
          : oc.columns(['series', 'hour']).doUpdateSet((eb) => ({
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
