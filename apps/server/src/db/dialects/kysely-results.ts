import { sql, type RawBuilder } from 'kysely';
import { chunks } from '../../lib/chunks.js';
import type { Kdb } from '../database.js';
import type { StateChangesTable } from '../schema.js';
import {
  CHECK_LAST_COLUMNS,
  CHECK_STATE_COLUMNS,
  CHECK_STATE_WRITE_COLUMNS,
  type CheckStateRow,
  HISTORY_MARK_NAMES,
  marksOf,
  type ResultRow,
  type ResultStore,
} from './result-store.js';
import { unpackSamples } from './raw-packing.js';
import { HOUR_MS, hourNumber, type ResultKeys, statusCode, textKey, toMicros } from './result-encoding.js';
import { groupOfKey, keyParam } from './result-key.js';

type Text = { source: string; status: number; message: string };
const keyOf = (t: Text) => textKey(t.source, t.status, t.message);

/**
 * These texts, as the expression of check_texts' hash index (migration 0026): (source, status, message) as one
 * composite value, so that the planner looks them up in the index.
 */
const textKeyOf = (source: RawBuilder<unknown>, status: RawBuilder<unknown>, message: RawBuilder<unknown>) =>
  sql`row(${source}, ${status}, ${message})::check_text_key`;
const textIn = (texts: Text[]) =>
  sql<boolean>`${textKeyOf(sql.ref('source'), sql.ref('status'), sql.ref('message'))} in (${sql.join(
    texts.map((t) => textKeyOf(sql`${t.source}::text`, sql`${t.status}::smallint`, sql`${t.message}::text`)),
  )})`;

/** State-change rows, 200 to a statement (shared with the ping store). */
export async function insertStateChangeRows(db: Kdb, rows: StateChangesTable[]): Promise<void> {
  for (const part of chunks(rows, 200)) await db.insertInto('state_changes').values(part).execute();
}

const old = (c: string) => sql.ref(`check_hourly.${c}`);
const add = (c: string) => sql.ref(`excluded.${c}`);

type ColumnType = 'text' | 'integer' | 'real' | 'timestamp';
const WRITE_TYPES: Record<string, ColumnType> = {
  state: 'text',
  computed_state: 'text',
  state_since: 'timestamp',
  state_reason: 'text',
  state_change_id: 'text',
  cause_type: 'text',
  cause_id: 'text',
  consecutive_failures: 'integer',
  consecutive_successes: 'integer',
  updated_at: 'timestamp',
  last_run_at: 'timestamp',
  last_status: 'text',
  last_latency_ms: 'real',
  last_message: 'text',
  recent_latencies: 'text',
};

/**
 * The check-result statements as multi-row Kysely statements (PostgreSQL: one round trip per few hundred
 * rows), rows loaded FOR UPDATE when `forUpdate` so that concurrent writers of one check queue up.
 */
export function kyselyResultStore(
  db: Kdb,
  options: { forUpdate: boolean; timestampType: 'text' | 'timestamptz'; keys: ResultKeys },
): ResultStore {
  const { keys } = options;

  // Numbers this transaction made itself are not shared until they are committed: another transaction given
  // one too early would write a sample pointing at a row it cannot see yet (a foreign-key violation).
  const ownSeries = new Map<string, number>();
  const ownTexts = new Map<string, number>();
  const seriesNo = (checkId: string) => ownSeries.get(checkId) ?? keys.series.get(checkId);
  const textNo = (t: Text) => ownTexts.get(keyOf(t)) ?? keys.text(t.source, t.status, t.message)?.id;

  /** Each check's series number, made for checks that have none yet. */
  async function seriesOf(checkIds: string[]): Promise<void> {
    const missing = [...new Set(checkIds)].filter((id) => seriesNo(id) === undefined);
    for (const part of chunks(missing)) {
      const made = await db
        .insertInto('check_series')
        .values(part.map((check_id) => ({ check_id })))
        .onConflict((oc) => oc.column('check_id').doNothing())
        .returning(['no', 'check_id'])
        .execute();
      for (const r of made) ownSeries.set(r.check_id, Number(r.no));
      const rows = await db
        .selectFrom('check_series')
        .select(['no', 'check_id'])
        .where('check_id', 'in', part)
        .execute();
      for (const r of rows) if (!ownSeries.has(r.check_id)) keys.series.set(r.check_id, Number(r.no));
    }
  }

  /**
   * Each text's number in the dictionary, added when new, its `last_hour` moved on to the newest result's hour
   * (one text at a time in id order: concurrent batches then lock them in the same order).
   */
  async function textsOf(rows: ResultRow[]): Promise<void> {
    const wanted = new Map<string, Text & { hour: number }>();
    for (const r of rows) {
      const text = { source: r.source, status: statusCode(r.status), message: r.message };
      const key = keyOf(text);
      if (ownTexts.has(key)) continue;
      const hour = hourNumber(r.at);
      const seen = wanted.get(key);
      if (!seen) wanted.set(key, { ...text, hour });
      else if (hour > seen.hour) seen.hour = hour;
    }
    const missing: Array<Text & { hour: number }> = [];
    const stale: Array<Text & { hour: number; id: number }> = [];
    for (const t of wanted.values()) {
      const known = keys.text(t.source, t.status, t.message);
      if (!known) missing.push(t);
      else if (known.hour < t.hour) stale.push({ ...t, id: known.id });
    }
    missing.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1)); // concurrent batches insert shared texts in one order
    for (const part of chunks(missing, 200)) {
      // Unique by an exclusion constraint (migration 0026), which has no conflict target: a text another
      // transaction is adding makes this one wait for it, then skip it (DO NOTHING) and find it below.
      const made = await db
        .insertInto('check_texts')
        .values(part.map((t) => ({ source: t.source, status: t.status, message: t.message, last_hour: t.hour })))
        .onConflict((oc) => oc.doNothing())
        .returning(['id', 'source', 'status', 'message'])
        .execute();
      for (const t of made) ownTexts.set(keyOf(t), Number(t.id));
      const found = await db
        .selectFrom('check_texts')
        .select(['id', 'source', 'status', 'message', 'last_hour'])
        .where(textIn(part))
        .execute();
      for (const t of found) {
        const text = { source: t.source, status: Number(t.status), message: t.message };
        if (ownTexts.has(keyOf(text))) continue;
        keys.rememberText(text.source, text.status, text.message, t.id, t.last_hour);
        const hour = wanted.get(keyOf(text))!.hour;
        if (t.last_hour < hour) stale.push({ ...text, hour, id: Number(t.id) });
      }
    }
    stale.sort((a, b) => a.id - b.id);
    for (const t of stale) {
      const touched = await db
        .updateTable('check_texts')
        .set({ last_hour: sql<number>`greatest(last_hour, ${t.hour})` })
        .where('id', '=', t.id)
        .returning('id')
        .executeTakeFirst();
      if (touched) {
        keys.rememberText(t.source, t.status, t.message, t.id, t.hour);
        continue;
      }
      // Deleted by the retention job meanwhile: add it again.
      keys.forgetText(t.source, t.status, t.message);
      ownTexts.set(keyOf(t), await addText(t));
    }
  }

  /** A text's number, the text added (or, added by another transaction meanwhile, its hour moved on). */
  async function addText(t: Text & { hour: number }): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const made = await db
        .insertInto('check_texts')
        .values({ source: t.source, status: t.status, message: t.message, last_hour: t.hour })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (made) return Number(made.id);
      const touched = await db
        .updateTable('check_texts')
        .set({ last_hour: sql<number>`greatest(last_hour, ${t.hour})` })
        .where(textIn([t]))
        .returning('id')
        .executeTakeFirst();
      if (touched) return Number(touched.id);
      // Deleted again between the two statements (retention): try again, but not forever.
      if (attempt === 2) throw new Error(`check text (${t.source}, ${t.status}, ${t.message}) keeps disappearing`);
    }
  }

  /**
   * Of these results not newer than their check's latest, the keys stored already (a resent batch): raw rows,
   * and the packed hours of the same checks, in one statement (one snapshot: an hour packed meanwhile is seen
   * either raw or packed).
   */
  async function alreadyStored(samples: Array<{ series: number; at: number }>): Promise<Set<string>> {
    const stored = new Set<string>();
    for (const part of chunks(samples, 500)) {
      const keys = sql.join(part.map((s) => sql`(${keyParam(s.series, s.at)}::bigint)`));
      const hours = sql.join(part.map((s) => sql`(${s.series}::integer, ${Math.floor(s.at / HOUR_MS)}::integer)`));
      const { rows } = await sql<{ key: string | null; series: number; hour: number; samples: Buffer | null }>`
        select s.key::text as key, null as series, null as hour, null as samples
        from check_samples s join (values ${keys}) v(key)
        on ${groupOfKey('s.key')} = ${groupOfKey('v.key')} and s.key = v.key
        union all
        select null, p.series, p.hour, p.samples from check_sample_hours p
        join (select distinct series, hour from (values ${hours}) v(series, hour)) v
        on p.series = v.series and p.hour = v.hour`.execute(db);
      for (const r of rows) {
        if (r.key !== null) stored.add(String(r.key));
        else for (const s of unpackSamples(Number(r.hour), r.samples!)) stored.add(keyParam(Number(r.series), s.at));
      }
    }
    return stored;
  }

  const cast = (expr: RawBuilder<unknown>, type: ColumnType) =>
    sql`cast(${expr} as ${sql.raw(type === 'timestamp' ? options.timestampType : type)})`;
  return {
    async loadChecks(by, ids) {
      const rows: CheckStateRow[] = [];
      for (const part of chunks([...new Set(ids)].sort())) {
        let query = db.selectFrom('checks').select(CHECK_STATE_COLUMNS).where(by, 'in', part).orderBy('id');
        if (options.forUpdate) query = query.forUpdate();
        rows.push(...((await query.execute()) as CheckStateRow[]));
      }
      return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    // The check rows are locked (loadChecks), so nobody else stores a result of these checks meanwhile, and a
    // result newer than its check's latest cannot be stored yet: only `late` ones are looked for.
    async insertResults(results) {
      try {
        await seriesOf(results.map((r) => r.check_id));
        await textsOf(results);
        const samples = results.map((r) => ({
          key: keyParam(seriesNo(r.check_id)!, Date.parse(r.at)),
          latency: toMicros(r.latency_ms),
          text: textNo({ source: r.source, status: statusCode(r.status), message: r.message })!,
        }));
        const late = results
          .filter((r) => r.late)
          .map((r) => ({ series: seriesNo(r.check_id)!, at: Date.parse(r.at) }));
        const stored = await alreadyStored(late);
        const fresh = samples.map((s, i) => (stored.has(s.key) ? null : i)).filter((i) => i !== null);
        for (const part of chunks(fresh, 1000))
          await db
            .insertInto('check_samples')
            .values(part.map((i) => samples[i]!))
            .execute();
        return fresh.map((i) => results[i]!);
      } catch (error) {
        // A number remembered from a transaction that rolled back: the retry looks them up again.
        if ((error as { code?: string }).code === '23503') keys.clear();
        throw error;
      }
    },

    async historyMarks(lock) {
      let query = db.selectFrom('history_marks').select(['name', 'hour']).where('name', 'in', HISTORY_MARK_NAMES);
      if (lock) query = query.forShare();
      return marksOf(await query.execute());
    },

    async addToRollups(buckets) {
      await seriesOf(buckets.map((b) => b.check_id));
      const rows = buckets.map((b) => ({
        series: seriesNo(b.check_id)!,
        hour: hourNumber(b.hour),
        count: b.count,
        failures: b.failures,
        latency_count: b.latency_count,
        latency_sum: Math.round(b.latency_sum * 1000),
        latency_min: toMicros(b.latency_min),
        latency_max: toMicros(b.latency_max),
      }));
      // One row per check and hour in each statement: PostgreSQL refuses to upsert one row twice.
      for (const part of chunks(rows, 300)) {
        await db
          .insertInto('check_hourly')
          .values(part)
          .onConflict((oc) =>
            oc.columns(['series', 'hour']).doUpdateSet({
              count: sql<number>`${old('count')} + ${add('count')}`,
              failures: sql<number>`${old('failures')} + ${add('failures')}`,
              latency_count: sql<number>`${old('latency_count')} + ${add('latency_count')}`,
              latency_sum: sql<number>`${old('latency_sum')} + ${add('latency_sum')}`,
              latency_min: sql<
                number | null
              >`case when ${old('latency_min')} is null or ${add('latency_min')} < ${old('latency_min')} then ${add('latency_min')} else ${old('latency_min')} end`,
              latency_max: sql<
                number | null
              >`case when ${old('latency_max')} is null or ${add('latency_max')} > ${old('latency_max')} then ${add('latency_max')} else ${old('latency_max')} end`,
            }),
          )
          .execute();
      }
    },

    insertStateChanges: (rows) => insertStateChangeRows(db, rows),

    // One UPDATE per 200 checks (a statement per check was most of the probe's database time).
    async saveChecks(writes) {
      const names = ['id', ...CHECK_STATE_WRITE_COLUMNS, 'has_last', ...CHECK_LAST_COLUMNS];
      const v = (name: string) => sql.ref(`v.${name}`);
      const sets = [
        ...CHECK_STATE_WRITE_COLUMNS.map((name) => sql`${sql.ref(name)} = ${cast(v(name), WRITE_TYPES[name]!)}`),
        ...CHECK_LAST_COLUMNS.map(
          (name) =>
            sql`${sql.ref(name)} = case when ${cast(v('has_last'), 'integer')} = 1 then ${cast(v(name), WRITE_TYPES[name]!)} else ${sql.ref(`checks.${name}`)} end`,
        ),
      ];
      for (const part of chunks(writes, 200)) {
        const rows = part.map(
          (w) =>
            sql`(${sql.join([
              w.id,
              ...CHECK_STATE_WRITE_COLUMNS.map((c) => w.state[c]),
              w.last ? 1 : 0,
              ...CHECK_LAST_COLUMNS.map((c) => w.last?.[c] ?? null),
            ])})`,
        );
        await sql`with v(${sql.join(names.map((n) => sql.ref(n)))}) as (values ${sql.join(rows)})
          update checks set ${sql.join(sets)} from v where checks.id = v.id`.execute(db);
      }
    },
  };
}
