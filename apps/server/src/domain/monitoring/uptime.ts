import type { Uptime } from '@afterhours/shared';
import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { fromMicros, hourIso, hourNumber } from '../../db/dialects/result-encoding.js';
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

/** Uptime for 24 h, 7 and 30 days (whole hours, from the roll-ups) and the last 48 hours for a chart. */
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
  const series = await db.selectFrom('check_series').select('no').where('check_id', '=', checkId).executeTakeFirst();
  const no = series?.no ?? -1;
  const [row] = await db
    .selectFrom('check_hourly')
    .select(selects)
    .where('series', '=', no)
    .where('hour', '>=', monthFrom)
    .execute();
  const r = (row ?? {}) as Record<string, unknown>;
  const windowOf = (name: string) =>
    uptimeOf({
      count: num(r[`${name}_count`]) ?? 0,
      failures: num(r[`${name}_failures`]) ?? 0,
      latencyCount: num(r[`${name}_lcount`]) ?? 0,
      latencySum: (num(r[`${name}_lsum`]) ?? 0) / 1000,
      latencyMin: fromMicros(num(r[`${name}_lmin`])),
      latencyMax: fromMicros(num(r[`${name}_lmax`])),
    });
  const hourly = await db
    .selectFrom('check_hourly')
    .select(['hour', 'count', 'failures', 'latency_count', 'latency_sum'])
    .where('series', '=', no)
    .where('hour', '>=', hourNumber(windowStart(now, 48)))
    .orderBy('hour')
    .execute();
  return {
    checkId,
    day: windowOf('day'),
    week: windowOf('week'),
    month: windowOf('month'),
    hourly: hourly.map((h) => ({
      hour: hourIso(h.hour),
      count: Number(h.count),
      failures: Number(h.failures),
      latencyMeanMs: h.latency_count
        ? Math.round((Number(h.latency_sum) / 1000 / Number(h.latency_count)) * 100) / 100
        : null,
    })),
  };
}
