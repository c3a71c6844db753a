import { afterEach, describe, expect, it } from 'vitest';
import { checkResults } from '../../domain/monitoring/history-queries.js';
import { insertCheck } from '../../test/checks.js';
import { countRows, insertClientWithSystem } from '../../test/factories.js';
import { createTestDatabase, createTestHub } from '../../test/harness.js';
import { previousResults } from '../../test/previous-release.js';
import { pruneHistory } from '../../worker/retention.js';
import { samplesMark } from '../../worker/sample-packing.js';
import { migrateToLatest } from '../migrate.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const NOW = new Date('2026-11-20T18:30:00.000Z');
const HOUR = 3600_000;

describe.each(['sqlite', 'postgres'] as const)('0023_sample_hours on a previous release’s database [%s]', (dialect) => {
  it('adds the packed tier; the results answered are the same once the hub packs the closed hours', async () => {
    const database = await createTestDatabase(dialect, { until: '0021_hourly_days' });
    cleanups.push(database.drop);
    const db = database.db.kysely;
    const { system } = await insertClientWithSystem(db);
    const check = await insertCheck(db, system);
    // 30 hours of results written as that release wrote them (through 0010's view and its trigger)
    await db
      .insertInto('check_results')
      .values(
        Array.from({ length: 30 * 12 }, (_, i) => ({
          check_id: check.id,
          at: new Date(NOW.getTime() - 30 * HOUR + i * 300_000 + (i % 9) * 11).toISOString(),
          status: i % 13 === 5 ? 'down' : i % 17 === 3 ? 'degraded' : 'up',
          latency_ms: i % 13 === 5 ? null : [12.3, 0.036, 150, 9.9][i % 4]!,
          message: i % 13 === 5 ? `connect ECONNREFUSED 127.0.0.1:${8000 + (i % 11)}` : '200 OK',
          source: 'hub',
        })),
      )
      .execute();
    const asks = [
      { limit: 500 },
      { limit: 7 },
      { limit: 100, since: new Date(NOW.getTime() - 20 * HOUR).toISOString() },
    ];
    const before = [];
    for (const ask of asks) before.push(await previousResults(db, check.id, ask));
    expect(before[0]).toHaveLength(360);

    await migrateToLatest(database.db);
    expect(await samplesMark(db)).toBeNull();
    const hub = await createTestHub(dialect, {}, { database: { db: database.db, drop: async () => {} } });
    cleanups.push(() => hub.close());
    hub.clock.set(NOW.toISOString());
    // the minutes of the 30 closed hours (the one at 18:00 is not over), then their raw results, packed
    expect(await pruneHistory(hub.ctx)).toMatchObject({ minutesWritten: 30, hoursPacked: 30, results: 0, texts: 0 });
    expect(await countRows(db, 'check_sample_hours')).toBe(30);
    const after = [];
    for (const ask of asks) after.push(await checkResults(db, check.id, ask));
    expect(after).toEqual(before);
  });
});
