import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertCheck } from '../../test/checks.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { openDatabase, type Db } from '../database.js';
import { migrateToLatest } from '../migrate.js';

describe('the probe claim on SQLite, with two hub processes on one file', () => {
  let dir: string;
  let first: Db;
  let second: Db;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'afterhours-claim-'));
    first = openDatabase({ sqliteFile: join(dir, 'afterhours.db') });
    await migrateToLatest(first);
    second = openDatabase({ sqliteFile: join(dir, 'afterhours.db') });
  });

  afterEach(async () => {
    await first.close();
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the write lock before reading what is due, so a run is claimed by one of them only', async () => {
    const { system } = await insertClientWithSystem(first.kysely);
    const base = Date.parse('2026-11-20T17:00:00.000Z');
    for (let i = 0; i < 10; i++)
      await insertCheck(first.kysely, system, { interval_s: 60, next_run_at: new Date(base + i * 1000).toISOString() });
    const now = '2026-11-20T17:00:30.000Z';
    await sql`pragma busy_timeout = 50`.execute(first.kysely);

    // The other process is in the middle of its claim: this one may not read the same due rows meanwhile.
    await second.kysely.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      await expect(first.dialect.claimDueChecks(first.kysely, now, now, 100)).rejects.toMatchObject({
        code: 'SQLITE_BUSY',
      });
      await sql`commit`.execute(connection);
    });
    expect(await second.dialect.claimDueChecks(second.kysely, now, now, 100)).toHaveLength(10);
    expect(await first.dialect.claimDueChecks(first.kysely, now, now, 100)).toEqual([]);
    const rows = await first.kysely.selectFrom('checks').select('next_run_at').orderBy('next_run_at').execute();
    expect(rows.map((r) => r.next_run_at)).toEqual(
      Array.from({ length: 10 }, (_, i) => new Date(base + 60_000 + i * 1000).toISOString()),
    );
  });
});
