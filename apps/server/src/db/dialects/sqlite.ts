import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { privateDirectory, privateFile } from '../../lib/private-files.js';
import { sql, SqliteDialect, type Kysely } from 'kysely';
import { startCheckpointer } from './sqlite-checkpoint.js';
import { placeCheckRow } from './sqlite-check-placement.js';
import { sqlitePingStore } from './sqlite-pings.js';
import { sqliteProbeClaim } from './sqlite-probe-claim.js';
import { sqliteResultStore } from './sqlite-results.js';
import type { DialectSupport } from './types.js';

/** Embedded SQLite: WAL, foreign keys on, a busy timeout so concurrent writers wait instead of failing. */
export function sqliteDialect(file: string): DialectSupport {
  if (file !== ':memory:') {
    privateDirectory(dirname(file));
    privateFile(file);
    for (const companion of [`${file}-wal`, `${file}-shm`]) privateFile(companion, false);
  }
  const database = new SQLite(file, { timeout: 5000 });
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // The hub keeps one connection: a 64 MiB page cache holds the hot tables (10,000 heartbeats are
  // about 6 MiB) instead of the default 2 MiB; reads go through a memory map; sorts stay in memory.
  database.pragma('cache_size = -65536');
  database.pragma('mmap_size = 268435456');
  database.pragma('temp_store = MEMORY');
  const checkpointer = file === ':memory:' ? null : startCheckpointer(database, file);
  const pingStore = sqlitePingStore(database);
  const resultStore = sqliteResultStore(database);
  return {
    name: 'sqlite',
    kyselyDialect: new SqliteDialect({ database }),
    timestampType: 'text',
    describe: `sqlite:${file}`,
    pingStore: () => pingStore(),
    resultStore: () => resultStore(),
    claimDueChecks: sqliteProbeClaim(database),
    placeCheck: placeCheckRow,
    pingWriters: 1,
    // BEGIN IMMEDIATE takes the write lock up front, so a second process waits (busy timeout) instead
    // of failing when it tries to upgrade a read transaction.
    async exclusively<T>(db: Kysely<any>, work: (trx: Kysely<any>) => Promise<T>): Promise<T> {
      return db.connection().execute(async (connection) => {
        await sql`begin immediate`.execute(connection);
        try {
          const result = await work(connection);
          await sql`commit`.execute(connection);
          return result;
        } catch (error) {
          await sql`rollback`.execute(connection).catch(() => {});
          throw error;
        }
      });
    },
    async destroy() {
      await checkpointer?.stop();
      if (database.open) database.close();
    },
  };
}
