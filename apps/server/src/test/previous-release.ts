import type { Uptime } from '@afterhours/shared';
import { sql } from 'kysely';
import type { Kdb } from '../db/database.js';
import { fromMicros, hourIso, hourNumber } from '../db/dialects/result-encoding.js';
import { UPTIME_WINDOWS, uptimeOf, windowStart } from '../domain/monitoring/uptime.js';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * The results API as releases before 0023 answered it, from the check_results view of 0010 (today's also reads
 * the packed hours of 0023, which those databases do not have).
 */
export async function previousResults(db: Kdb, checkId: string, ask: { since?: string; limit: number }) {
  let query = db.selectFrom('check_results').selectAll().where('check_id', '=', checkId);
  if (ask.since) query = query.where('at', '>=', ask.since);
  const rows = await query.orderBy('at', 'desc').limit(ask.limit).execute();
  return rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    status: r.status,
    latencyMs: r.latency_ms === null ? null : Number(r.latency_ms),
    message: r.message,
    source: r.source,
  }));
}

/**
 * The uptime API as releases before 0025 answered it: every hour from check_hourly, which ingest summed as results
 * came (today's reads the hours after the history job's mark from raw results; those databases have no mark).
 */
export async function previousUptime(db: Kdb, checkId: string, now: Date): Promise<Uptime> {
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
