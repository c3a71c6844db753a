import type { Command } from 'commander';
import { configFromEnv, openMigratedDatabase, type HubConfig } from '../hub.js';

/** The options every command that opens the database takes. */
export function withDatabaseOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'where the embedded SQLite database and the secret key live (env AFTERHOURS_DATA_DIR)')
    .option('--database-url <url>', 'postgres://… to use PostgreSQL instead of SQLite (env DATABASE_URL)');
}

export function configFromOptions(options: { dataDir?: string; databaseUrl?: string; port?: string }): HubConfig {
  const overrides: Partial<HubConfig> = {};
  if (options.dataDir) overrides.dataDir = options.dataDir;
  if (options.databaseUrl) overrides.databaseUrl = options.databaseUrl;
  if (options.port) overrides.port = Number(options.port);
  return configFromEnv(process.env, overrides);
}

export async function withDatabase<T>(
  options: { dataDir?: string; databaseUrl?: string },
  work: (db: Awaited<ReturnType<typeof openMigratedDatabase>>, config: HubConfig) => Promise<T>,
): Promise<T> {
  const config = configFromOptions(options);
  const db = await openMigratedDatabase(config);
  try {
    return await work(db, config);
  } finally {
    await db.close();
  }
}
