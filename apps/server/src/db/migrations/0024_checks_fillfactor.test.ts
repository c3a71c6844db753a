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

    expect((await migrateToLatest(database.db)).applied).toEqual([
      '0024_checks_fillfactor',
      '0025_hourly_mark',
      '0026_text_hash',
      '0027_checks_placed',
    ]);
    expect(await db.selectFrom('checks').select(['id', 'name']).execute()).toEqual([{ id: before.id, name: 'Before' }]);
    if (dialect === 'sqlite') return;

    const { rows } = await sql<{ options: string[] | null }>`
      select reloptions as options from pg_class where oid = 'checks'::regclass`.execute(db);
    expect(rows[0]?.options).toEqual(['fillfactor=70']);

    // Checks added since fill their pages to 70 %: a write-back (last result, sparkline; same size as before)
    // stays in its row's page, as a heap-only update does. On full pages it moved to another one. One check a
    // page, so that no page needs the room of versions pruned (other tests' transactions may hold them back).
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
        select id, (ctid::text::point)[0]::bigint::text as page from checks where name like 'Check %' order by ctid`.execute(
        db,
      );
      return rows;
    };
    const onePerPage = new Map((await pages()).map((r) => [r.page, r.id]));
    expect(onePerPage.size).toBeGreaterThan(2);
    for (const id of onePerPage.values()) await db.updateTable('checks').set(running(1)).where('id', '=', id).execute();
    const after = new Map((await pages()).map((r) => [r.id, r.page]));
    for (const [page, id] of onePerPage) expect(after.get(id)).toBe(page);
  });
});
