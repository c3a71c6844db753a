import type { HeartbeatPingsTable, HeartbeatsTable, StateChangesTable } from '../schema.js';

/** A value, or a promise of it: SQLite's store answers at once, PostgreSQL's over the network. */
export type Maybe<T> = T | Promise<T>;

/**
 * The statements of the ping hot path (domain/heartbeats/record-pings.ts), for one transaction that
 * the caller has opened. Each dialect writes them its own way: SQLite with better-sqlite3 statements
 * prepared once and kept across batches, PostgreSQL with multi-row statements and row locks.
 */
export interface PingStore {
  /** Heartbeat ids by ping key and slug (the pairs as `key/slug`). */
  idsBySlug(
    pairs: Array<{ key: string; slug: string }>,
  ): Maybe<Array<{ id: string; key: string; slug: string | null }>>;
  /** The heartbeats with these ids, in id order; locked until commit where several writers can race. */
  loadHeartbeats(ids: string[]): Maybe<HeartbeatsTable[]>;
  /** Deletes the open run of `rid` ('' for none); answers whether there was one. */
  deleteRun(heartbeatId: string, rid: string): Maybe<boolean>;
  insertRun(heartbeatId: string, rid: string, startedAt: string): Maybe<void>;
  runStartedAt(heartbeatId: string, rid: string): Maybe<string | null>;
  oldestRun(heartbeatId: string): Maybe<string | null>;
  /** Deletes every open run of the heartbeat, or only those started before `before`. */
  deleteRuns(heartbeatId: string, before?: string): Maybe<void>;
  insertPings(rows: HeartbeatPingsTable[]): Maybe<void>;
  insertStateChanges(rows: StateChangesTable[]): Maybe<void>;
  /** Writes back the columns a ping changes (PING_COLUMNS) of heartbeats that exist. */
  writeHeartbeats(rows: HeartbeatsTable[]): Maybe<void>;
}

/** The heartbeat columns a ping changes. */
export const PING_COLUMNS = [
  'status',
  'status_since',
  'status_reason',
  'state_change_id',
  'last_ping_at',
  'last_success_at',
  'last_result',
  'last_result_at',
  'last_duration_ms',
  'running_since',
  'expected_at',
  'down_at',
  'next_due_at',
  'n_pings',
  'updated_at',
] as const satisfies ReadonlyArray<keyof HeartbeatsTable>;

/** The columns of a ping row, in insert order. */
export const PING_ROW_COLUMNS = [
  'heartbeat_id',
  'n',
  'at',
  'source',
  'action',
  'method',
  'remote_addr',
  'user_agent',
  'body',
  'body_size',
  'rid',
  'exit_status',
  'duration_ms',
  'email_from',
  'email_subject',
] as const satisfies ReadonlyArray<keyof HeartbeatPingsTable>;
