import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { checkResults } from '../../domain/monitoring/history-queries.js';
import { insertCheck } from '../../test/checks.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { createTestDatabase } from '../../test/harness.js';
import { fillResults } from '../../test/previous-results.js';
import { placeOf } from '../dialects/sqlite-check-placement.js';
import { migrateToLatest } from '../migrate.js';

// A database made by the previous release (up to 0026, check rows in the order they were added): 0027 moves
// each check's row on SQLite to its place by the time of the minute it runs, keeping every row, result and
// reference; PostgreSQL is left as it was.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(['sqlite', 'postgres'] as const)(
  '0027_checks_placed on a previous release’s database [%s]',
  (dialect) => {
    it('keeps the checks and their results; on SQLite their rows lie in the order of the minute they run', async () => {
      const database = await createTestDatabase(dialect, { until: '0026_text_hash' });
      cleanups.push(database.drop);
      const db = database.db.kysely;
      const withResults = await fillResults(db);
      const { system } = await insertClientWithSystem(db, 'Placed');
      const seconds = [41, 3, 59, 17, 3, 30];
      for (const s of seconds)
        await insertCheck(db, system, { next_run_at: `2026-12-07T06:0${s % 7}:${String(s).padStart(2, '0')}.250Z` });
      const checks = () => db.selectFrom('checks').selectAll().orderBy('id').execute();
      const before = await checks();
      const results = await Promise.all(withResults.map((c) => checkResults(db, c.id, { limit: 500 })));

      expect((await migrateToLatest(database.db)).applied).toEqual(['0027_checks_placed']);
      expect(await checks()).toEqual(before);
      expect(await Promise.all(withResults.map((c) => checkResults(db, c.id, { limit: 500 })))).toEqual(results);
      if (dialect === 'postgres') return;

      const { rows } = await sql<{ rowid: number; next_run_at: string | null }>`
      select rowid, next_run_at from checks order by rowid`.execute(db);
      const scheduled = rows.filter((r) => r.next_run_at !== null);
      expect(scheduled.map((r) => Math.floor(r.rowid / 1024) * 1024)).toEqual(
        scheduled.map((r) => placeOf(r.next_run_at!)),
      );
      expect(scheduled.map((r) => Date.parse(r.next_run_at!) % 60_000)).toEqual([
        3250, 3250, 17250, 30250, 41250, 59250,
      ]);
      expect(rows.slice(scheduled.length).every((r) => r.next_run_at === null)).toBe(true);
      expect((await sql`pragma foreign_key_check`.execute(db)).rows).toEqual([]);
    });
  },
);
