import type { CheckResult, StateChange } from '@afterhours/shared';
import { sql } from 'kysely';
import { type HourSums, unpackDay } from '../../db/dialects/day-packing.js';
import type { MinuteSums } from '../../db/dialects/minute-packing.js';
import { fromMicros, HOUR_MS, statusText } from '../../db/dialects/result-encoding.js';
import {
  atOfKey,
  KEY_END_MS,
  KEY_EPOCH_MS,
  keyRange,
  keysOfSeries,
  seriesOfKey,
} from '../../db/dialects/result-key.js';
import { chunks } from '../../lib/chunks.js';
import type { Kdb } from '../../db/database.js';
import type { StateChangesTable } from '../../db/schema.js';
import type { Actor } from '../auth/actor.js';
import { clientScope } from '../auth/policy.js';
import { historyMark } from './history-marks.js';
import { newestPackedSamples, packedSamples } from './sample-hours.js';

/** A check's raw results from `from` to `to` (ms, `to` excluded), newest first, at most `limit`. */
async function newestRaw(db: Kdb, series: number, from: number, to: number, limit: number) {
  return db
    .selectFrom('check_samples')
    .select([atOfKey().as('at'), 'latency', 'text'])
    .where(keyRange('key', series, from, to))
    .orderBy('key', 'desc')
    .limit(limit)
    .execute();
}

/**
 * A check's raw results, newest first (kept 7 days by default): the raw rows (the last day first, then
 * further back) and the packed hours, merged; each result's status and text named from the dictionary.
 */
export async function checkResults(
  db: Kdb,
  checkId: string,
  options: { since?: string | undefined; limit: number },
): Promise<CheckResult[]> {
  const series = await db.selectFrom('check_series').select('no').where('check_id', '=', checkId).executeTakeFirst();
  if (!series) return [];
  const since = options.since ? Date.parse(options.since) : null;
  const from = since ?? KEY_EPOCH_MS;
  const dayAgo = Date.now() - 24 * HOUR_MS;
  let rows = from < dayAgo ? await newestRaw(db, series.no, dayAgo, KEY_END_MS, options.limit) : [];
  if (rows.length < options.limit) rows = await newestRaw(db, series.no, from, KEY_END_MS, options.limit);
  const raw = rows.map((r) => ({
    at: Number(r.at),
    latency: r.latency === null ? null : Number(r.latency),
    text: Number(r.text),
  }));
  const packed = await newestPackedSamples(db, Number(series.no), since, options.limit);
  const samples = [...raw, ...packed].sort((a, b) => b.at - a.at).slice(0, options.limit);
  const ids = [...new Set(samples.map((r) => r.text))];
  const texts = new Map<number, { source: string; status: number; message: string }>();
  for (const part of chunks(ids))
    for (const t of await db
      .selectFrom('check_texts')
      .select(['id', 'source', 'status', 'message'])
      .where('id', 'in', part)
      .execute())
      texts.set(Number(t.id), t);
  return samples.map((r) => {
    const text = texts.get(r.text);
    return {
      at: new Date(r.at).toISOString(),
      status: statusText(Number(text?.status ?? 2)),
      latencyMs: fromMicros(r.latency),
      message: text?.message ?? '',
      source: text?.source ?? '',
    };
  });
}

/** The last hour written into check_minutes (null: none yet). */
export const minutesMark = (db: Kdb) => historyMark(db, 'minutes');

/**
 * The hour of the oldest raw result not yet packed (null: none). A scan of the raw rows (neither database has
 * them by time), so only for a history job starting without a mark: a new hub, or one just upgraded.
 */
export async function oldestRawHour(db: Kdb): Promise<number | null> {
  const row = await db
    .selectFrom('check_samples')
    .select(sql<number | null>`min(${atOfKey('key')})`.as('at'))
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Math.floor(Number(row.at) / HOUR_MS);
}

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
  await addRawRowMinutes(db, { series, from, to }, add);
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

/** Hands `add` the per-minute sums of the raw rows (not the packed hours) of some series, latencies in µs. */
async function addRawRowMinutes(
  db: Kdb,
  span: { series: readonly number[]; from: number; to: number },
  add: (series: number, sums: MinuteSums) => void,
): Promise<void> {
  const minute = sql<number>`${atOfKey('r.key')} / 60000`;
  // 100 series a statement: SQLite limits how deep an expression (this OR of key ranges) may nest.
  for (const part of chunks(span.series, 100)) {
    const rows = await db
      .selectFrom('check_samples as r')
      .leftJoin('check_texts as t', 't.id', 'r.text')
      .select([
        seriesOfKey('r.key').as('series'),
        minute.as('minute'),
        sql<number>`count(*)`.as('count'),
        sql<number>`sum(case when coalesce(t.status, 2) = 2 then 1 else 0 end)`.as('failures'),
        sql<number>`count(r.latency)`.as('latency_count'),
        sql<number>`coalesce(sum(r.latency), 0)`.as('latency_sum'),
      ])
      .where(keysOfSeries('r.key', part, span.from, span.to))
      .groupBy([seriesOfKey('r.key'), minute])
      .execute();
    for (const r of rows)
      add(Number(r.series), {
        minute: Number(r.minute),
        count: Number(r.count),
        failures: Number(r.failures),
        latencyCount: Number(r.latency_count),
        latencySumMs: Number(r.latency_sum),
      });
  }
}

/** The packed hours of one check from `fromHour` on (hours since 1970), oldest first. */
export async function packedHours(db: Kdb, series: number, fromHour: number): Promise<HourSums[]> {
  const rows = await db
    .selectFrom('check_days')
    .select(['day', 'hours'])
    .where('series', '=', series)
    .where('day', '>=', Math.floor(fromHour / 24))
    .orderBy('day')
    .execute();
  return rows.flatMap((row) =>
    unpackDay(row.hours)
      .map((h) => ({ ...h, hour: Number(row.day) * 24 + h.hour }))
      .filter((h) => h.hour >= fromHour),
  );
}

type Row = StateChangesTable & { subject_name: string | null };

function present(r: Row): StateChange {
  return {
    id: r.id,
    at: r.at,
    recordedAt: r.recorded_at,
    clientId: r.client_id,
    siteId: r.site_id,
    systemId: r.system_id,
    checkId: r.check_id,
    agentId: r.agent_id,
    heartbeatId: r.heartbeat_id ?? null,
    subjectType: r.subject_type as StateChange['subjectType'],
    subjectName: r.subject_name ?? '(deleted)',
    from: r.from_state,
    to: r.to_state,
    reason: r.reason,
    cause: r.cause_type && r.cause_id ? { type: r.cause_type, id: r.cause_id } : null,
    rootCauseId: r.root_cause_id,
    source: r.source,
  };
}

export interface StateChangeFilter {
  checkId?: string | undefined;
  siteId?: string | undefined;
  clientId?: string | undefined;
  rootsOnly?: boolean;
  before?: string | undefined;
  limit: number;
}

/** State changes, newest first: of a check, or of a site or client (confined to the actor's firm). */
export async function stateChanges(db: Kdb, actor: Actor, filter: StateChangeFilter): Promise<StateChange[]> {
  let query = db
    .selectFrom('state_changes')
    .leftJoin('checks', 'checks.id', 'state_changes.check_id')
    .leftJoin('sites', 'sites.id', 'state_changes.site_id')
    .leftJoin('heartbeats', 'heartbeats.id', 'state_changes.heartbeat_id')
    .selectAll('state_changes')
    .select((eb) => eb.fn.coalesce('checks.name', 'heartbeats.name', 'sites.name').as('subject_name'));
  const scope = clientScope(actor);
  if (scope) query = query.where('state_changes.client_id', '=', scope);
  if (filter.checkId) query = query.where('state_changes.check_id', '=', filter.checkId);
  if (filter.siteId) query = query.where('state_changes.site_id', '=', filter.siteId);
  if (filter.clientId) query = query.where('state_changes.client_id', '=', filter.clientId);
  if (filter.rootsOnly) query = query.where('state_changes.root_cause_id', 'is', null);
  if (filter.before) query = query.where('state_changes.at', '<', new Date(filter.before).toISOString());
  const rows = await query
    .orderBy('state_changes.at', 'desc')
    .orderBy('state_changes.recorded_at', 'desc')
    .limit(filter.limit)
    .execute();
  return (rows as Row[]).map(present);
}
