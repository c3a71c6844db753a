import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import type { DialectSupport } from './types.js';

/** Embedded SQLite: WAL, foreign keys on, a busy timeout so concurrent writers wait instead of failing. */
export function sqliteDialect(file: string): DialectSupport {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file, { timeout: 5000 });
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return {
    name: 'sqlite',
    kyselyDialect: new SqliteDialect({ database }),
    timestampType: 'text',
    describe: `sqlite:${file}`,
    async destroy() {
      if (database.open) database.close();
    },
  };
}
