import type SQLite from 'better-sqlite3';
import {
  CHECK_STATE_COLUMNS,
  checkStateRowOf,
  HISTORY_MARK_NAMES,
  marksOf,
  type CheckWrite,
  type ResultRow,
  type ResultStore,
} from './result-store.js';
import { unpackSamples } from './raw-packing.js';
import { HOUR_MS, hourNumber, ResultKeys, statusCode, toMicros } from './result-encoding.js';
import { encodeKey } from './result-key.js';
import { insertNamed, type Statement } from './sqlite-prepared.js';

type StateColumn = keyof CheckWrite['state'];
type LastColumn = keyof NonNullable<CheckWrite['last']>;

/**
 * The check-result statements on SQLite, prepared once per database and kept across batches (Kysely's
 * SQLite driver prepares every statement again, and compiling multi-row statements of thousands of
 * parameters cost more than running them), run a row at a time: microseconds each, no round trip.
 *
 * They run on the connection Kysely uses, so they must be called inside a Kysely transaction on it: that
 * holds SQLite's one connection, so nothing else interleaves, and they commit or roll back with it.
 */
export function sqliteResultStore(database: SQLite.Database): () => ResultStore {
  let prepared: ReturnType<typeof prepare> | null = null;
  const keys = new ResultKeys();
  return () => {
    prepared ??= prepare(database);
    const s = prepared;
    const seriesOf = (checkId: string): number => {
      let no = keys.series.get(checkId);
      if (no === undefined) {
        s.addSeries.run(checkId);
        no = (s.series.get(checkId) as { no: number }).no;
        keys.series.set(checkId, no);
      }
      return no;
    };
    // Texts this transaction added are not remembered: the transaction may still roll back.
    const own = new Set<number>();
    const textOf = (source: string, status: number, message: string, hour: number): number => {
      const known = keys.text(source, status, message);
      if (known && known.hour >= hour) return known.id;
      if (known && s.touchText.run(hour, known.id).changes > 0) {
        known.hour = hour;
        return known.id;
      }
      // Not known, or deleted by the retention job meanwhile.
      if (known) keys.forgetText(source, status, message);
      const added = s.addText.run(source, status, message, hour).changes > 0;
      const row = s.text.get(source, status, message) as { id: number; last_hour: number };
      if (added) own.add(row.id);
      else if (row.last_hour < hour) s.touchText.run(hour, row.id);
      if (!own.has(row.id)) keys.rememberText(source, status, message, row.id, Math.max(hour, row.last_hour));
      return row.id;
    };
    return {
      loadChecks: (by, ids) => {
        const rows = (s.load[by].all(JSON.stringify(ids)) as unknown[][]).map(checkStateRowOf);
        return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      },
      insertResults: (rows) => {
        // A late result may be in its hour's packed row: the times of the packed hours looked at, by series|hour.
        const packedTimes = new Map<string, Set<number>>();
        const packedAlready = (series: number, at: number): boolean => {
          const hour = Math.floor(at / HOUR_MS);
          let times = packedTimes.get(`${series}|${hour}`);
          if (!times) {
            const row = s.sampleHour.get(series, hour) as { samples: Buffer } | undefined;
            times = new Set(row ? unpackSamples(hour, row.samples).map((r) => r.at) : []);
            packedTimes.set(`${series}|${hour}`, times);
          }
          return times.has(at);
        };
        const insert = (row: ResultRow) =>
          !(row.late && packedAlready(seriesOf(row.check_id), Date.parse(row.at))) &&
          s.insertResult.run(
            encodeKey(seriesOf(row.check_id), Date.parse(row.at)),
            toMicros(row.latency_ms),
            textOf(row.source, statusCode(row.status), row.message, hourNumber(row.at)),
          ).changes > 0;
        return rows.filter((row) => {
          try {
            return insert(row);
          } catch (error) {
            // A number remembered from a transaction that rolled back: look them up again.
            if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw error;
            keys.clear();
            return insert(row);
          }
        });
      },
      historyMarks: () => marksOf(s.marks.all() as Array<{ name: string; hour: number | null }>),
      addToRollups: (rows) => {
        for (const row of rows)
          s.addToRollup.run(
            seriesOf(row.check_id),
            hourNumber(row.hour),
            row.count,
            row.failures,
            row.latency_count,
            Math.round(row.latency_sum * 1000),
            toMicros(row.latency_min),
            toMicros(row.latency_max),
          );
      },
      insertStateChanges: (rows) => {
        for (const row of rows) s.insertNamed('state_changes', row).run(row);
      },
      saveChecks: (rows) => {
        for (const row of rows) s.saveCheck(row);
      },
    };
  };
}

function prepare(db: SQLite.Database) {
  const p = (text: string): Statement => db.prepare(text);
  const select = `select ${CHECK_STATE_COLUMNS.join(', ')} from checks`;
  const assign = (columns: readonly string[]) => columns.map((c) => `${c} = ?`).join(', ');
  // One statement per set of changed columns (a handful in practice): SQLite rewrites the row either way,
  // but binds fewer values, and updates the (state, client_id) index only when `state` is assigned.
  const saves = new Map<string, Statement>();
  const saveOf = (columns: readonly string[]): Statement => {
    const key = columns.join();
    let statement = saves.get(key);
    if (!statement) {
      if (saves.size >= 64) saves.clear();
      statement = p(`update checks set ${assign(columns)} where id = ?`);
      saves.set(key, statement);
    }
    return statement;
  };
  // By a JSON array of values in one statement: a statement per id cost twice as much per row.
  const loadBy = (column: string) => p(`${select} where ${column} in (select value from json_each(?))`).raw();
  return {
    load: { id: loadBy('id'), system_id: loadBy('system_id'), agent_id: loadBy('agent_id') },
    addSeries: p('insert or ignore into check_series (check_id) values (?)'),
    series: p('select no from check_series where check_id = ?'),
    addText: p('insert or ignore into check_texts (source, status, message, last_hour) values (?, ?, ?, ?)'),
    text: p('select id, last_hour from check_texts where source = ? and status = ? and message = ?'),
    touchText: p('update check_texts set last_hour = max(last_hour, ?) where id = ?'),
    marks: p(
      `select name, hour from history_marks where name in (${HISTORY_MARK_NAMES.map((n) => `'${n}'`).join(', ')})`,
    ),
    sampleHour: p('select samples from check_sample_hours where series = ? and hour = ?'),
    insertResult: p('insert into check_samples (key, latency, text) values (?, ?, ?) on conflict (key) do nothing'),
    addToRollup:
      p(`insert into check_hourly (series, hour, count, failures, latency_count, latency_sum, latency_min, latency_max)
      values (?, ?, ?, ?, ?, ?, ?, ?)
      on conflict (series, hour) do update set
        count = count + excluded.count,
        failures = failures + excluded.failures,
        latency_count = latency_count + excluded.latency_count,
        latency_sum = latency_sum + excluded.latency_sum,
        latency_min = case when latency_min is null or excluded.latency_min < latency_min then excluded.latency_min else latency_min end,
        latency_max = case when latency_max is null or excluded.latency_max > latency_max then excluded.latency_max else latency_max end`),
    saveCheck(row: CheckWrite): void {
      const values = row.columns.map((c) =>
        c in row.state ? row.state[c as StateColumn] : row.last![c as LastColumn],
      );
      saveOf(row.columns).run(...values, row.id);
    },
    insertNamed: insertNamed(db),
  };
}
