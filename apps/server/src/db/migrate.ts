import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import type { DialectSupport } from './dialects/types.js';
import { foundation } from './migrations/0001_foundation.js';

/** Every migration, in order. Names sort; never rename or edit one that has shipped. */
function migrations(d: DialectSupport): Record<string, Migration> {
  return {
    '0001_foundation': foundation(d),
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
  const migrator = new Migrator({ db: db.kysely, provider: new StaticProvider(db.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { applied };
}
