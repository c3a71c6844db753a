import type { Uptime } from '@afterhours/shared';
import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { fromMicros, hourIso, hourNumber } from '../../db/dialects/result-encoding.js';
import type { HourSums } from '../../db/dialects/day-packing.js';
import { KEY_END_MS } from '../../db/dialects/result-key.js';
import { hourlyMark } from './history-marks.js';
import { rawHours } from './raw-hours.js';
import { hourOf } from './rollups.js';

const HOUR = 3600_000;
export const UPTIME_WINDOWS = { day: 24, week: 24 * 7, month: 24 * 30 } as const;

export interface RollupSums {
  count: number;
  failures: number;
  latencyCount: number;
  latencySum: number;
  latencyMin: number | null;
  latencyMax: number | null;
}

/** Uptime of a window from its summed roll-ups: degraded counts as up; no results is "no figure", not 100 %. */
export function uptimeOf(s: RollupSums): Uptime['day'] {
  return {
    percent: s.count ? Math.round(((s.count - s.failures) / s.count) * 100_000) / 1000 : null,
    checks: s.count,
    failures: s.failures,
    latencyMeanMs: s.latencyCount ? Math.round((s.latencySum / s.latencyCount) * 100) / 100 : null,
    latencyMinMs: s.latencyMin,
    latencyMaxMs: s.latencyMax,
  };
}

/** The first hour inside a window of `hours` whole hours ending with the current one. */
export function windowStart(now: Date, hours: number): string {
  return hourOf(new Date(now.getTime() - (hours - 1) * HOUR).toISOString());
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * Uptime for 24 h, 7 and 30 days (whole hours) and the last 48 hours for a chart: the hourly roll-ups of the
 * hours the history job has written (up to its mark) and the raw results of the hours after them.
 */
export async function checkUptime(db: Kdb, checkId: string, now: Date): Promise<Uptime> {
  const windows = Object.entries(UPTIME_WINDOWS).map(([name, hours]) => ({
    name,
    from: hourNumber(windowStart(now, hours)),
  }));
  const sums = (from: number) => sql`sum(case when hour >= ${from} then `;
  const selects = windows.flatMap(({ name, from }) => [
    sql<number>`${sums(from)}${sql.ref('count')} else 0 end)`.as(`${name}_count`),
    sql<number>`${sums(from)}failures else 0 end)`.as(`${name}_failures`),
    sql<number>`${sums(from)}latency_count else 0 end)`.as(`${name}_lcount`),
    sql<number>`${sums(from)}latency_sum else 0 end)`.as(`${name}_lsum`),
    sql<number | null>`min(case when hour >= ${from} then latency_min end)`.as(`${name}_lmin`),
    sql<number | null>`max(case when hour >= ${from} then latency_max end)`.as(`${name}_lmax`),
  ]);
  const monthFrom = windows.at(-1)!.from;
  const chartFrom = hourNumber(windowStart(now, 48));
  const series = await db.selectFrom('check_series').select('no').where('check_id', '=', checkId).executeTakeFirst();
  const no = series?.no ?? -1;
  const written = (await hourlyMark(db)) ?? Math.min(monthFrom, chartFrom) - 1;
  const [row] = await db
    .selectFrom('check_hourly')
    .select(selects)
    .where('series', '=', no)
    .where('hour', '>=', monthFrom)
    .where('hour', '<=', written)
    .execute();
  const raw = series
    ? ((await rawHours(db, [no], Math.max(Math.min(monthFrom, chartFrom), written + 1) * HOUR, KEY_END_MS)).get(no) ??
      [])
    : [];
  const r = (row ?? {}) as Record<string, unknown>;
  const windowOf = (name: string, from: number) => {
    const hours = raw.filter((h) => h.hour >= from);
    const lmin = [num(r[`${name}_lmin`]), ...hours.map((h) => h.latencyMin)].filter((v): v is number => v !== null);
    const lmax = [num(r[`${name}_lmax`]), ...hours.map((h) => h.latencyMax)].filter((v): v is number => v !== null);
    return uptimeOf({
      count: (num(r[`${name}_count`]) ?? 0) + sumOf(hours, (h) => h.count),
      failures: (num(r[`${name}_failures`]) ?? 0) + sumOf(hours, (h) => h.failures),
      latencyCount: (num(r[`${name}_lcount`]) ?? 0) + sumOf(hours, (h) => h.latencyCount),
      latencySum: ((num(r[`${name}_lsum`]) ?? 0) + sumOf(hours, (h) => h.latencySum)) / 1000,
      latencyMin: lmin.length ? fromMicros(Math.min(...lmin)) : null,
      latencyMax: lmax.length ? fromMicros(Math.max(...lmax)) : null,
    });
  };
  const rows = await db
    .selectFrom('check_hourly')
    .select(['hour', 'count', 'failures', 'latency_count', 'latency_sum'])
    .where('series', '=', no)
    .where('hour', '>=', chartFrom)
    .where('hour', '<=', written)
    .orderBy('hour')
    .execute();
  const hourly = [
    ...rows.map((h) => ({
      hour: Number(h.hour),
      count: Number(h.count),
      failures: Number(h.failures),
      latencyCount: Number(h.latency_count),
      latencySum: Number(h.latency_sum),
    })),
    ...raw.filter((h) => h.hour >= chartFrom),
  ];
  const [day, week, month] = windows.map(({ name, from }) => windowOf(name, from));
  return {
    checkId,
    day: day!,
    week: week!,
    month: month!,
    hourly: hourly.map((h) => ({
      hour: hourIso(h.hour),
      count: h.count,
      failures: h.failures,
      latencyMeanMs: h.latencyCount ? Math.round((h.latencySum / 1000 / h.latencyCount) * 100) / 100 : null,
    })),
  };
}

const sumOf = (hours: readonly HourSums[], f: (h: HourSums) => number) => hours.reduce((n, h) => n + f(h), 0);
