import type { Maybe } from './ping-store.js';
import type { CheckResultsTable, CheckRollupsTable, StateChangesTable } from '../schema.js';

/** The columns of a check that the state machine reads, as loaded for one transaction. */
export const CHECK_STATE_COLUMNS = [
  'id',
  'client_id',
  'site_id',
  'system_id',
  'probe',
  'agent_id',
  'failures_before_down',
  'successes_before_up',
  'paused',
  'state',
  'computed_state',
  'state_since',
  'state_reason',
  'state_change_id',
  'cause_type',
  'cause_id',
  'consecutive_failures',
  'consecutive_successes',
  'last_run_at',
  'last_message',
  'recent_latencies',
] as const;

export interface CheckStateRow {
  id: string;
  client_id: string;
  site_id: string;
  system_id: string;
  probe: string;
  agent_id: string | null;
  failures_before_down: number;
  successes_before_up: number;
  paused: number;
  state: string;
  computed_state: string;
  state_since: string;
  state_reason: string;
  state_change_id: string | null;
  cause_type: string | null;
  cause_id: string | null;
  consecutive_failures: number;
  consecutive_successes: number;
  last_run_at: string | null;
  last_message: string | null;
  recent_latencies: string;
}

/**
 * A check's state row from its values in CHECK_STATE_COLUMNS order (a row read as an array): an object
 * literal, which V8 builds about twice as fast as better-sqlite3 builds a row object a property at a time.
 */
export function checkStateRowOf(values: readonly unknown[]): CheckStateRow {
  const v = values as any[];
  return {
    id: v[0],
    client_id: v[1],
    site_id: v[2],
    system_id: v[3],
    probe: v[4],
    agent_id: v[5],
    failures_before_down: v[6],
    successes_before_up: v[7],
    paused: v[8],
    state: v[9],
    computed_state: v[10],
    state_since: v[11],
    state_reason: v[12],
    state_change_id: v[13],
    cause_type: v[14],
    cause_id: v[15],
    consecutive_failures: v[16],
    consecutive_successes: v[17],
    last_run_at: v[18],
    last_message: v[19],
    recent_latencies: v[20],
  };
}

/** The state columns written back for every check a transaction changed. */
export const CHECK_STATE_WRITE_COLUMNS = [
  'state',
  'computed_state',
  'state_since',
  'state_reason',
  'state_change_id',
  'cause_type',
  'cause_id',
  'consecutive_failures',
  'consecutive_successes',
  'updated_at',
] as const;

/** The last-result columns, written only for checks that got a fresh result. */
export const CHECK_LAST_COLUMNS = [
  'last_run_at',
  'last_status',
  'last_latency_ms',
  'last_message',
  'recent_latencies',
] as const;

export type CheckStateWrite = { [K in (typeof CHECK_STATE_WRITE_COLUMNS)[number]]: string | number | null };
export type CheckWriteColumn = (typeof CHECK_STATE_WRITE_COLUMNS)[number] | (typeof CHECK_LAST_COLUMNS)[number];
export type CheckLastWrite = { [K in (typeof CHECK_LAST_COLUMNS)[number]]: string | number | null };

/** One check's row to write back: its state, and its last result when it got one. */
export interface CheckWrite {
  id: string;
  state: CheckStateWrite;
  last: CheckLastWrite | null;
  /**
   * The columns whose values differ from the loaded row's (`updated_at` always): SQLite writes only these
   * (its `(state, client_id)` index is then left alone unless the state changed).
   */
  columns: CheckWriteColumn[];
}

/** A result to store; `late` when it is not newer than the check's latest (it may be stored already). */
export type ResultRow = Omit<CheckResultsTable, 'at'> & { at: string; late: boolean };
export type RollupRow = Omit<CheckRollupsTable, 'hour'> & { hour: string };

/**
 * The statements of the check-result hot path (domain/monitoring/ingest.ts) and of the other state
 * writers, for one transaction the caller has opened. SQLite keeps better-sqlite3 statements prepared
 * across batches and runs them a row at a time; PostgreSQL uses multi-row statements and row locks.
 */
export interface ResultStore {
  /** Checks by id, system or agent, in id order; locked until commit where several writers can race. */
  loadChecks(by: 'id' | 'system_id' | 'agent_id', ids: readonly string[]): Maybe<CheckStateRow[]>;
  /** Inserts results; answers the ones that were not stored before (same check and time). */
  insertResults(rows: ResultRow[]): Maybe<ResultRow[]>;
  /**
   * The per-minute and hourly marks of the history job (history_marks): the last hour each tier was written,
   * and the hour each job last started on. `lock`: read FOR SHARE where the job could be starting an hour of
   * these results meanwhile (PostgreSQL), so that the answer holds until commit; SQLite's transaction holds its
   * one connection already.
   */
  historyMarks(lock: boolean): Maybe<HistoryMarks>;
  /**
   * Adds to the hourly roll-ups (one row per check and hour; latencies in ms as computed, stored in µs): only
   * for hours the history job has written (a late result); the job writes the others once they are over.
   */
  addToRollups(rows: RollupRow[]): Maybe<void>;
  insertStateChanges(rows: StateChangesTable[]): Maybe<void>;
  saveChecks(rows: CheckWrite[]): Maybe<void>;
}

/** The last hour written (`minutes`, `hourly`) and the hour last started on (`…Started`), by tier. */
export interface HistoryMarks {
  minutes: number | null;
  hourly: number | null;
  minutesStarted: number | null;
  hourlyStarted: number | null;
}

export const HISTORY_MARK_NAMES = ['minutes', 'hourly', 'minutes_started', 'hourly_started'] as const;

/** The marks from their history_marks rows (a row not there yet: null). */
export function marksOf(rows: ReadonlyArray<{ name: string; hour: number | string | null }>): HistoryMarks {
  const mark = (name: string) => {
    const hour = rows.find((r) => r.name === name)?.hour;
    return hour === null || hour === undefined ? null : Number(hour);
  };
  return {
    minutes: mark('minutes'),
    hourly: mark('hourly'),
    minutesStarted: mark('minutes_started'),
    hourlyStarted: mark('hourly_started'),
  };
}
