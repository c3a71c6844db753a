import pg from 'pg';
import { PostgresDialect, sql, type Kysely } from 'kysely';
import { kyselyPingStore } from './kysely-pings.js';
import { kyselyResultStore } from './kysely-results.js';
import { postgresClaimDueChecks } from './postgres-probe-claim.js';
import { ResultKeys } from './result-encoding.js';
import type { DialectSupport } from './types.js';

/** Arbitrary, fixed: the advisory lock that serialises migrations across hub processes. */
const MIGRATION_LOCK = 7_260_518;
const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;
const INT8 = 20;
const NUMERIC = 1700;

/** Read timestamps as ISO strings and counts as numbers, the way SQLite hands them back. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ) return (v: string) => new Date(v).toISOString();
    if (oid === TIMESTAMP) return (v: string) => new Date(`${v}Z`).toISOString();
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

export interface PostgresOptions {
  url: string;
  /** Use this schema (created if missing) instead of `public`; the tests isolate runs this way. */
  schema?: string;
  poolSize?: number;
}

export function postgresDialect(options: PostgresOptions): DialectSupport {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 30_000,
    types,
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)}` } : {}),
  });
  // An idle client losing its connection must not crash the hub; the next query reconnects.
  pool.on('error', () => {});
  const keys = new ResultKeys();
  return {
    name: 'postgres',
    kyselyDialect: new PostgresDialect({ pool }),
    timestampType: 'timestamptz',
    async exclusively<T>(db: Kysely<any>, work: (trx: Kysely<any>) => Promise<T>): Promise<T> {
      return db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
        return work(trx);
      });
    },
    pingStore: (trx) => kyselyPingStore(trx, { forUpdate: true }),
    resultStore: (trx) => kyselyResultStore(trx, { forUpdate: true, timestampType: 'timestamptz', keys }),
    claimDueChecks: postgresClaimDueChecks,
    // A heap table: rows go where there is room (pages kept 70 % full, migration 0024), nothing to choose.
    placeCheck: async () => {},
    // Each ping transaction mostly waits on round trips; four at once (of the pool's ten connections)
    // keep the database busy. Rows are locked in id order, so they cannot deadlock.
    pingWriters: 4,
    describe: redact(options.url) + (options.schema ? ` (schema ${options.schema})` : ''),
    async destroy() {
      await pool.end().catch(() => {});
    },
  };
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid schema name: ${name}`);
  return `"${name}"`;
}

export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
