import type SQLite from 'better-sqlite3';
import {
  CHECK_LAST_COLUMNS,
  CHECK_STATE_COLUMNS,
  CHECK_STATE_WRITE_COLUMNS,
  type CheckStateRow,
  type CheckWrite,
  type ResultStore,
} from './result-store.js';
import { insertNamed, type Statement } from './sqlite-prepared.js';

const RESULT_COLUMNS = ['check_id', 'at', 'status', 'latency_ms', 'message', 'source'] as const;
const ROLLUP_COLUMNS = [
  'check_id',
  'hour',
  'count',
  'failures',
  'latency_count',
  'latency_sum',
  'latency_min',
  'latency_max',
] as const;
const STATE_KEPT_COLUMNS = CHECK_STATE_WRITE_COLUMNS.filter((c) => c !== 'state');

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
  return () => {
    prepared ??= prepare(database);
    const s = prepared;
    return {
      loadChecks: (by, ids) => {
        const statement = s.load[by];
        const rows = [...new Set(ids)].flatMap((id) => statement.all(id) as CheckStateRow[]);
        return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      },
      insertResults: (rows) =>
        rows.filter((row) => s.insertResult.run(...RESULT_COLUMNS.map((c) => row[c])).changes > 0),
      addToRollups: (rows) => {
        for (const row of rows) s.addToRollup.run(...ROLLUP_COLUMNS.map((c) => row[c]));
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
  // Four shapes of write-back: with or without the state (SQLite rewrites the (state, client_id) index
  // only when `state` is assigned), with or without a last result.
  const saves = new Map<string, Statement>();
  for (const stateChanged of [true, false]) {
    for (const hasLast of [true, false]) {
      const columns = [
        ...(stateChanged ? CHECK_STATE_WRITE_COLUMNS : STATE_KEPT_COLUMNS),
        ...(hasLast ? CHECK_LAST_COLUMNS : []),
      ];
      saves.set(`${stateChanged}/${hasLast}`, p(`update checks set ${assign(columns)} where id = ?`));
    }
  }
  return {
    load: {
      id: p(`${select} where id = ?`),
      system_id: p(`${select} where system_id = ?`),
      agent_id: p(`${select} where agent_id = ?`),
    },
    insertResult: p(
      `insert into check_results (${RESULT_COLUMNS.join(', ')}) values (${RESULT_COLUMNS.map(() => '?').join(', ')}) on conflict (check_id, at) do nothing`,
    ),
    addToRollup:
      p(`insert into check_rollups (${ROLLUP_COLUMNS.join(', ')}) values (${ROLLUP_COLUMNS.map(() => '?').join(', ')})
      on conflict (check_id, hour) do update set
        count = count + excluded.count,
        failures = failures + excluded.failures,
        latency_count = latency_count + excluded.latency_count,
        latency_sum = latency_sum + excluded.latency_sum,
        latency_min = case when latency_min is null or excluded.latency_min < latency_min then excluded.latency_min else latency_min end,
        latency_max = case when latency_max is null or excluded.latency_max > latency_max then excluded.latency_max else latency_max end`),
    saveCheck(row: CheckWrite): void {
      const stateValues = (row.stateChanged ? CHECK_STATE_WRITE_COLUMNS : STATE_KEPT_COLUMNS).map((c) => row.state[c]);
      const lastValues = row.last ? CHECK_LAST_COLUMNS.map((c) => row.last![c]) : [];
      saves.get(`${row.stateChanged}/${row.last !== null}`)!.run(...stateValues, ...lastValues, row.id);
    },
    insertNamed: insertNamed(db),
  };
}
