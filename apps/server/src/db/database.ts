import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { postgresDialect } from './dialects/postgres.js';
import { sqliteDialect } from './dialects/sqlite.js';
import type { DialectName, DialectSupport } from './dialects/types.js';
import type { Database } from './schema.js';

export type Kdb = Kysely<Database>;

export interface Db {
  kysely: Kdb;
  dialect: DialectSupport;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite. */
  url?: string | undefined;
  /** SQLite file (default `<dataDir>/afterhours.db`); `:memory:` for throwaway databases. */
  sqliteFile?: string;
  dataDir?: string;
  pgSchema?: string;
}

export function selectDialect(options: DatabaseOptions): DialectSupport {
  if (options.url && /^postgres(ql)?:\/\//.test(options.url)) {
    return postgresDialect({ url: options.url, ...(options.pgSchema ? { schema: options.pgSchema } : {}) });
  }
  if (options.url) throw new Error('DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite)');
  return sqliteDialect(options.sqliteFile ?? join(options.dataDir ?? './data', 'afterhours.db'));
}

export function openDatabase(options: DatabaseOptions): Db {
  const dialect = selectDialect(options);
  const kysely = new Kysely<Database>({ dialect: dialect.kyselyDialect });
  return {
    kysely,
    dialect,
    async ping() {
      try {
        await withTimeout(sql`select 1`.execute(kysely), 2000);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await kysely.destroy().catch(() => {});
      await dialect.destroy();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]);
}

export type { DialectName };
