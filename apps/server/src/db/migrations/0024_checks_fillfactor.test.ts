import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRow } from '../../test/checks.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { createTestDatabase } from '../../test/harness.js';
import { migrateToLatest } from '../migrate.js';

// A database made by the previous release (up to 0023): 0024 leaves room in the pages of `checks` on PostgreSQL,
// so that a result's write-back (no indexed column changed) is a heap-only update; SQLite is left as it was.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(['sqlite', 'postgres'] as const)('migration 0024 on %s', (dialect) => {
  it('keeps the checks, and on PostgreSQL their write-backs stay in their pages', async () => {
    const database = await createTestDatabase(dialect, { until: '0023_sample_hours' });
    cleanups.push(database.drop);
    const db = database.db.kysely;
    const { system } = await insertClientWithSystem(db);
    const before = checkRow(system, { name: 'Before' });
    await db.insertInto('checks').values(before).execute();

    expect((await migrateToLatest(database.db)).applied).toEqual(['0024_checks_fillfactor']);
    expect(await db.selectFrom('checks').select(['id', 'name']).execute()).toEqual([{ id: before.id, name: 'Before' }]);
    if (dialect === 'sqlite') return;

    const { rows } = await sql<{ options: string[] | null }>`
      select reloptions as options from pg_class where oid = 'checks'::regclass`.execute(db);
    expect(rows[0]?.options).toEqual(['fillfactor=70']);

    // Checks added since fill their pages to 70 %: each one's write-backs (last result, sparkline) stay in its
    // page, as heap-only updates do (on full pages they moved to another page at once).
    const running = (round: number) => ({
      last_run_at: `2026-12-06T08:0${round}:00.000Z`,
      last_status: 'up',
      last_latency_ms: 1.5 + round,
      last_message: 'HTTP 200 OK',
      recent_latencies: JSON.stringify(Array.from({ length: 30 }, (_, i) => i + round + 0.25)),
      consecutive_successes: round + 1,
      updated_at: `2026-12-06T08:0${round}:00.050Z`,
    });
    const added = Array.from({ length: 60 }, (_, i) => checkRow(system, { name: `Check ${i}`, ...running(0) }));
    await db.insertInto('checks').values(added).execute();
    const pages = async () => {
      const { rows } = await sql<{ id: string; page: string }>`
        select id, (ctid::text::point)[0]::bigint::text as page from checks order by id`.execute(db);
      return Object.fromEntries(rows.map((r) => [r.id, r.page]));
    };
    const placed = await pages();
    for (let round = 1; round <= 3; round++)
      for (const c of added) await db.updateTable('checks').set(running(round)).where('id', '=', c.id).execute();
    expect(await pages()).toEqual(placed);
  });
});
