import { type CheckHistory, HISTORY_RANGE_MINUTES, HISTORY_RANGES, type HistoryRange } from '@afterhours/shared';
import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { HourSums } from '../../db/dialects/day-packing.js';
import { type MinuteSums, unpackMinutes } from '../../db/dialects/minute-packing.js';
import { fromMicros, HOUR_MS } from '../../db/dialects/result-encoding.js';
import { KEY_END_MS } from '../../db/dialects/result-key.js';
import { hourlyMark } from './history-marks.js';
import { minutesMark, packedHours, rawMinutes } from './history-queries.js';
import { rawHours } from './raw-hours.js';
import { uptimeOf } from './uptime.js';

const MINUTE = 60_000;

const sumOf = (hours: readonly HourSums[], f: (h: HourSums) => number) => hours.reduce((n, h) => n + f(h), 0);

/** The least or greatest of a figure from SQL (null: none) and of the packed hours (null where none). */
function extreme(
  pick: (...values: number[]) => number,
  fromSql: unknown,
  hours: readonly HourSums[],
  f: (h: HourSums) => number | null,
): number | null {
  const values = hours.map(f).filter((v): v is number => v !== null);
  if (fromSql !== null && fromSql !== undefined) values.push(Number(fromSql));
  return values.length ? pick(...values) : null;
}

/** Sums of one step of a chart. */
interface Step {
  count: number;
  failures: number;
  latencyCount: number;
  latencySumMs: number;
}

/**
 * A check's history over a range, in steps: under an hour from the per-minute roll-ups (hours the job has
 * written) and the raw results after them; an hour or more from the hourly roll-ups, one row an hour or packed
 * by day (both are added: an hour written late beside its packed day is counted too), up to the hourly job's
 * mark, and the raw results of the hours after it; the summary likewise. Steps are aligned to
 * whole steps since 1970 (UTC), the last one holding `now`; only steps with results are answered.
 */
export async function checkHistory(
  db: Kdb,
  checkId: string,
  query: { range: HistoryRange; step?: number | undefined },
  now: Date,
): Promise<CheckHistory> {
  const stepMinutes = query.step ?? HISTORY_RANGES[query.range];
  const stepMs = stepMinutes * MINUTE;
  const slots = Math.ceil(HISTORY_RANGE_MINUTES[query.range] / stepMinutes);
  const from = (Math.floor(now.getTime() / stepMs) - slots + 1) * stepMs;
  const series = await db.selectFrom('check_series').select('no').where('check_id', '=', checkId).executeTakeFirst();
  const no = series?.no ?? -1;

  const steps = new Map<number, Step>();
  const add = (at: number, s: Step) => {
    const key = Math.floor(at / stepMs) * stepMs;
    if (key < from) return;
    const step = steps.get(key) ?? { count: 0, failures: 0, latencyCount: 0, latencySumMs: 0 };
    step.count += s.count;
    step.failures += s.failures;
    step.latencyCount += s.latencyCount;
    step.latencySumMs += s.latencySumMs;
    steps.set(key, step);
  };
  const fromHour = Math.floor(from / HOUR_MS);
  const packed = await packedHours(db, no, fromHour);
  // hourly rows (and days packed from them) up to the hourly job's mark; the hours after it from raw results
  const written = (await hourlyMark(db)) ?? fromHour - 1;
  const recent: HourSums[] = series
    ? ((await rawHours(db, [no], Math.max(fromHour, written + 1) * HOUR_MS, KEY_END_MS)).get(no) ?? [])
    : [];
  if (stepMinutes < 60) {
    const mark = await minutesMark(db);
    const packedUntil = mark === null ? fromHour - 1 : mark;
    const rows = await db
      .selectFrom('check_minutes')
      .select(['hour', 'minutes'])
      .where('series', '=', no)
      .where('hour', '>=', fromHour)
      .where('hour', '<=', packedUntil)
      .execute();
    for (const row of rows)
      for (const m of unpackMinutes(row.minutes)) add(Number(row.hour) * HOUR_MS + m.minute * MINUTE, m);
    const rawFrom = Math.max(from, (packedUntil + 1) * HOUR_MS);
    const raw: MinuteSums[] = (await rawMinutes(db, [no], rawFrom, now.getTime() + 1)).get(no) ?? [];
    for (const m of raw) add(m.minute * MINUTE, m);
  } else {
    const rows = await db
      .selectFrom('check_hourly')
      .select(['hour', 'count', 'failures', 'latency_count', 'latency_sum'])
      .where('series', '=', no)
      .where('hour', '>=', fromHour)
      .where('hour', '<=', written)
      .execute();
    for (const h of rows)
      add(Number(h.hour) * HOUR_MS, {
        count: Number(h.count),
        failures: Number(h.failures),
        latencyCount: Number(h.latency_count),
        latencySumMs: Number(h.latency_sum) / 1000,
      });
    for (const h of [...packed, ...recent]) add(h.hour * HOUR_MS, { ...h, latencySumMs: h.latencySum / 1000 });
  }

  const [sums] = await db
    .selectFrom('check_hourly')
    .select([
      sql<number>`coalesce(sum(${sql.ref('count')}), 0)`.as('count'),
      sql<number>`coalesce(sum(failures), 0)`.as('failures'),
      sql<number>`coalesce(sum(latency_count), 0)`.as('lcount'),
      sql<number>`coalesce(sum(latency_sum), 0)`.as('lsum'),
      sql<number | null>`min(latency_min)`.as('lmin'),
      sql<number | null>`max(latency_max)`.as('lmax'),
    ])
    .where('series', '=', no)
    .where('hour', '>=', fromHour)
    .where('hour', '<=', written)
    .execute();
  const hours = [...packed, ...recent];
  return {
    checkId,
    range: query.range,
    stepMinutes,
    from: new Date(from).toISOString(),
    to: now.toISOString(),
    summary: uptimeOf({
      count: Number(sums?.count ?? 0) + sumOf(hours, (h) => h.count),
      failures: Number(sums?.failures ?? 0) + sumOf(hours, (h) => h.failures),
      latencyCount: Number(sums?.lcount ?? 0) + sumOf(hours, (h) => h.latencyCount),
      latencySum: (Number(sums?.lsum ?? 0) + sumOf(hours, (h) => h.latencySum)) / 1000,
      latencyMin: fromMicros(extreme(Math.min, sums?.lmin, hours, (h) => h.latencyMin)),
      latencyMax: fromMicros(extreme(Math.max, sums?.lmax, hours, (h) => h.latencyMax)),
    }),
    points: [...steps]
      .sort(([a], [b]) => a - b)
      .map(([at, s]) => ({
        at: new Date(at).toISOString(),
        count: s.count,
        failures: s.failures,
        latencyMeanMs: s.latencyCount ? Math.round((s.latencySumMs / s.latencyCount) * 100) / 100 : null,
      })),
  };
}
