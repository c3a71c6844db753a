import type { Dialect, Kysely } from 'kysely';
import type { PingStore } from './ping-store.js';
import type { ResultStore } from './result-store.js';

export type DialectName = 'sqlite' | 'postgres';

/** A hub check claimed for one run. `due_at` is the run's scheduled time. */
export interface ClaimedCheck {
  id: string;
  kind: string;
  params_json: string;
  secrets_enc: string | null;
  interval_s: number;
  timeout_ms: number;
  due_at: string;
}

/** Everything that differs between SQLite and PostgreSQL lives behind this interface. */
export interface DialectSupport {
  name: DialectName;
  kyselyDialect: Dialect;
  /** Column type for UTC timestamps; both read back as ISO 8601 strings. */
  timestampType: 'text' | 'timestamptz';
  /** Where the data lives, for logs (never includes a password). */
  describe: string;
  /**
   * Run `work` in one transaction that no other hub process can run at the same time: migrations
   * use it so that several processes starting together apply each migration once.
   */
  exclusively<T>(db: Kysely<any>, work: (trx: Kysely<any>) => Promise<T>): Promise<T>;
  /** The ping hot path's statements, for the Kysely transaction `trx` (see ping-store.ts). */
  pingStore(trx: Kysely<any>): PingStore;
  /** The check-result hot path's statements, for the Kysely transaction `trx` (see result-store.ts). */
  resultStore(trx: Kysely<any>): ResultStore;
  /**
   * Claims hub checks due by `horizon` (at most `limit`) for one run each: moves each one's next_run_at to its
   * next run after `now`, keeping its phase, so that no other hub process claims the same run.
   */
  claimDueChecks(db: Kysely<any>, now: string, horizon: string, limit: number): Promise<ClaimedCheck[]>;
  /**
   * After a check's next run is set (added, rescheduled): where the database can choose, its row goes among
   * the rows of checks due at the same time, so that a second's runs write few pages (sqlite-check-placement.ts).
   */
  placeCheck(db: Kysely<any>, id: string, nextRunAt: string): Promise<void>;
  /** Ping transactions that may run at once: 1 where there is one writer (SQLite), more where row locks order them. */
  pingWriters: number;
  destroy(): Promise<void>;
}
