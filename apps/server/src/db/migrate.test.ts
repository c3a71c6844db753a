import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../test/harness.js';
import { openDatabase, type Db } from './database.js';
import { migrateToLatest } from './migrate.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function admin(text: string) {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(text);
  await client.end();
}

async function twoConnections(dialect: 'sqlite' | 'postgres'): Promise<[Db, Db]> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'afterhours-migrate-'));
    const open = () => openDatabase({ sqliteFile: join(dir, 'hub.db') });
    const pair: [Db, Db] = [open(), open()];
    cleanups.push(async () => {
      for (const db of pair) await db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return pair;
  }
  const schema = `m_${randomBytes(5).toString('hex')}`;
  await admin(`create schema ${schema}`);
  const pair: [Db, Db] = [
    openDatabase({ url: TEST_DATABASE_URL, pgSchema: schema }),
    openDatabase({ url: TEST_DATABASE_URL, pgSchema: schema }),
  ];
  cleanups.push(async () => {
    for (const db of pair) await db.close();
    await admin(`drop schema ${schema} cascade`);
  });
  return pair;
}

describe.each(['sqlite', 'postgres'] as const)('migrations [%s]', (dialect) => {
  it('are applied once when two hub processes start together, and not again on the next start', async () => {
    const [a, b] = await twoConnections(dialect);
    // better-sqlite3 waits for a lock synchronously, so two SQLite connections in one process would
    // deadlock; for SQLite the second start comes after the first (real processes wait on the lock).
    const [first, second] =
      dialect === 'postgres'
        ? await Promise.all([migrateToLatest(a), migrateToLatest(b)])
        : [await migrateToLatest(a), await migrateToLatest(b)];
    const applied = [...first.applied, ...second.applied].sort();
    expect(applied).toEqual([
      '0001_foundation',
      '0002_monitoring',
      '0003_heartbeats',
      '0004_ping_indexes',
      '0005_recovery_codes',
      '0006_display',
      '0007_oncall',
      '0008_notifications',
      '0009_alerts',
      '0010_result_series',
      '0011_power',
      '0012_incidents',
      '0013_client_updates',
      '0014_checklists',
      '0014_checklists_photos',
      '0015_alerts_more',
      '0016_power_more',
      '0017_history_tiers',
      '0018_incident_gaps',
      '0021_hourly_days',
      '0022_result_keys',
      '0023_sample_hours',
      '0024_checks_fillfactor',
      '0025_hourly_mark',
      '0026_text_hash',
      '0027_checks_placed',
    ]);
    expect((await migrateToLatest(a)).applied).toEqual([]);
    await a.kysely
      .insertInto('clients')
      .values({
        id: 'c',
        name: 'C',
        name_lower: 'c',
        notes: '',
        contract_json: '{}',
        archived_at: null,
        created_at: '2026-11-25T12:00:00.000Z',
        updated_at: '2026-11-25T12:00:00.000Z',
      })
      .execute();
    expect(await b.kysely.selectFrom('clients').select('id').execute()).toEqual([{ id: 'c' }]);
  });
});
