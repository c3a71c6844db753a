import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { afterEach, beforeEach, describe } from 'vitest';
import { DEFAULT_SETTINGS, type AppContext, type HubSettings } from '../context.js';
import { openDatabase, type Db } from '../db/database.js';
import type { DialectName } from '../db/dialects/types.js';
import { migrateToLatest } from '../db/migrate.js';
import { EventBus } from '../events/bus.js';
import { buildApp } from '../http/app.js';
import type { ZodApp } from '../http/zod-app.js';
import { ManualClock } from '../lib/clock.js';
import { SecretBox } from '../lib/secrets.js';
import { AgentConnections } from '../domain/agents/connections.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  db: Db;
  /** PostgreSQL only: the schema made for the test, for a second connection to it (another hub process). */
  pgSchema?: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database: in-memory SQLite, or a PostgreSQL schema of its own that is dropped after. With
 * `until`, only the migrations up to that one: a previous release's database.
 */
export async function createTestDatabase(
  dialect: DialectName,
  options: { until?: string } = {},
): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const db = openDatabase({ sqliteFile: ':memory:' });
    await migrateToLatest(db, options);
    return { db, drop: () => db.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create schema "${schema}"`);
  const db = openDatabase({ url: TEST_DATABASE_URL, pgSchema: schema });
  await migrateToLatest(db, options);
  return {
    db,
    pgSchema: schema,
    async drop() {
      await db.close();
      await adminQuery(`drop schema if exists "${schema}" cascade`);
    },
  };
}

export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface TestHub {
  app: ZodApp;
  ctx: AppContext;
  clock: ManualClock;
  dialect: DialectName;
  close(): Promise<void>;
}

/** A hub on a fresh database, or on `options.database` (closed, or dropped, by `close()`). */
export async function createTestHub(
  dialect: DialectName,
  settings: Partial<HubSettings> = {},
  options: { database?: TestDatabase; secrets?: SecretBox } = {},
): Promise<TestHub> {
  const { db, drop } = options.database ?? (await createTestDatabase(dialect));
  const clock = new ManualClock();
  const ctx: AppContext = {
    db,
    clock,
    bus: new EventBus(),
    secrets: options.secrets ?? SecretBox.fromKey(randomBytes(32)),
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    settings: { ...DEFAULT_SETTINGS, ...settings },
  };
  ctx.agentLink = new AgentConnections(ctx.bus, ctx.log);
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    clock,
    dialect,
    async close() {
      await app.close();
      await drop();
    },
  };
}

/** A fresh hub for each test of a suite, closed after it: `const hub = hubPerTest(dialect, settings)`. */
export function hubPerTest(dialect: DialectName, settings: Partial<HubSettings> = {}): () => TestHub {
  let hub: TestHub | undefined;
  beforeEach(async () => {
    hub = await createTestHub(dialect, settings);
  });
  afterEach(() => hub?.close());
  return () => hub!;
}

/** Run a suite once per database: `forEachDatabase('clients', (dialect) => { ... })`. */
export function forEachDatabase(name: string, suite: (dialect: DialectName) => void): void {
  describe.each(DIALECTS)(`${name} [%s]`, (dialect) => suite(dialect));
}
