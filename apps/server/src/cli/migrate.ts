import type { Command } from 'commander';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { configFromOptions, withDatabaseOptions } from './common.js';

export function registerMigrate(program: Command): void {
  withDatabaseOptions(
    program.command('migrate').description('Apply pending database migrations (the hub also does this at start)'),
  ).action(async (options: { dataDir?: string; databaseUrl?: string }) => {
    const config = configFromOptions(options);
    const db = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    try {
      const { applied } = await migrateToLatest(db);
      process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
    } finally {
      await db.close();
    }
  });
}
