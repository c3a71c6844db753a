import { afterEach, describe, expect, it } from 'vitest';
import { checkHistory } from '../../domain/monitoring/check-history.js';
import { checkResults } from '../../domain/monitoring/history-queries.js';
import { checkUptime } from '../../domain/monitoring/uptime.js';
import { createTestDatabase, type TestDatabase } from '../../test/harness.js';
import { fillResults, RESULTS_NOW as NOW } from '../../test/previous-results.js';
import type { Kdb } from '../database.js';
import { migrateToLatest } from '../migrate.js';

// A database made by the previous release (migrations up to 0021, results written through the check_results
// view as 0017 left it, hourly roll-ups as that release's store wrote them), migrated in place, answers every
// question about results, uptime and history the same as a database that got the same results under this
// release; and the old view reads the same rows before and after.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const HOUR = 3600_000;

async function database(dialect: 'sqlite' | 'postgres', until?: string): Promise<TestDatabase> {
  const made = await createTestDatabase(dialect, until ? { until } : {});
  cleanups.push(made.drop);
  return made;
}

const asks = [{ limit: 500 }, { limit: 20 }, { limit: 1000, since: new Date(NOW.getTime() - 5 * HOUR).toISOString() }];

async function answers(db: Kdb, checkIds: string[]) {
  const all: unknown[] = [];
  for (const id of checkIds) {
    for (const ask of asks) all.push(await checkResults(db, id, ask));
    all.push(await checkUptime(db, id, NOW));
    for (const range of ['1d', '7d', '30d'] as const) all.push(await checkHistory(db, id, { range }, NOW));
    all.push(await checkHistory(db, id, { range: '7d', step: 60 }, NOW));
  }
  return all;
}

const view = (db: Kdb, checkId: string) =>
  db.selectFrom('check_results').selectAll().where('check_id', '=', checkId).orderBy('at').execute();

describe.each(['sqlite', 'postgres'] as const)('0022_result_keys on a previous release’s database [%s]', (dialect) => {
  it('keeps every result: the answers are those of a database that got the same results under this release', async () => {
    const old = await database(dialect, '0021_hourly_days');
    const checks = await fillResults(old.db.kysely);
    const ids = checks.map((c) => c.id);
    const before = await Promise.all(ids.map((id) => view(old.db.kysely, id)));
    expect(before[0]).toHaveLength(300);
    await migrateToLatest(old.db);
    expect(await Promise.all(ids.map((id) => view(old.db.kysely, id)))).toEqual(before);

    const fresh = await database(dialect);
    await fillResults(fresh.db.kysely, ids);
    const expected = await answers(fresh.db.kysely, ids);
    expect((expected[0] as unknown[]).length).toBe(300);
    expect(await answers(old.db.kysely, ids)).toEqual(expected);
    const texts = await old.db.kysely
      .selectFrom('check_texts')
      .select(['source', 'status', 'message'])
      .where('message', '=', '200 OK')
      .orderBy('status')
      .execute();
    expect(texts.map((t) => Number(t.status))).toEqual([0, 1]);
  });
});
