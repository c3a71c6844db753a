import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import type { DialectSupport } from './dialects/types.js';
import { foundation } from './migrations/0001_foundation.js';
import { monitoring } from './migrations/0002_monitoring.js';

/** Every migration, in order. Names sort; never rename or edit one that has shipped. */
function migrations(d: DialectSupport): Record<string, Migration> {
  return {
    '0001_foundation': foundation(d),
    '0002_monitoring': monitoring(d),
  };
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly d: DialectSupport) {}
  async getMigrations() {
    return migrations(this.d);
  }
}

export interface MigrationReport {
  applied: string[];
}

/** Apply pending migrations. Safe to run from several hub processes at once (Kysely takes a lock). */
export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateOnce(db);
    } catch (error) {
      if (attempt >= 5 || !(await isOtherSchemaVanishing(db, error))) throw error;
    }
  }
}

/**
 * Kysely's migrator introspects every schema of a PostgreSQL database. When something else drops its
 * own schema in that instant (a parallel test run, another application), PostgreSQL answers
 * `schema "x" does not exist` for a schema that is not ours: that, and only that, is worth a retry.
 */
async function isOtherSchemaVanishing(db: Db, error: unknown): Promise<boolean> {
  const match = /schema "([^"]+)" does not exist/.exec(String(error instanceof Error ? error.message : error));
  if (!match || db.dialect.name !== 'postgres') return false;
  const ours = (await migrationTableSchema(db)).migrationTableSchema;
  return match[1] !== ours;
}

async function migrateOnce(db: Db): Promise<MigrationReport> {
  const migrator = new Migrator({ db: db.kysely, provider: new StaticProvider(db.dialect), ...(await migrationTableSchema(db)) });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { applied };
}

/**
 * On PostgreSQL, name the schema of Kysely's own tables: without it Kysely looks for
 * `kysely_migration` in every schema of the database and, finding another schema's (a parallel
 * test run, another app), skips creating its own and fails.
 */
async function migrationTableSchema(db: Db): Promise<{ migrationTableSchema?: string }> {
  if (db.dialect.name !== 'postgres') return {};
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely);
  return rows[0]?.schema ? { migrationTableSchema: rows[0].schema } : {};
}
