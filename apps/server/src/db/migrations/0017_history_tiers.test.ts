import { afterEach, describe, expect, it } from 'vitest';
import { checkHistory } from '../../domain/monitoring/check-history.js';
import { checkResults } from '../../domain/monitoring/history-queries.js';
import { ingestResults } from '../../domain/monitoring/ingest.js';
import { checkUptime } from '../../domain/monitoring/uptime.js';
import { createTestDatabase, createTestHub, type TestDatabase } from '../../test/harness.js';
import { previousResults, previousUptime } from '../../test/previous-release.js';
import { fillResults, RESULTS_NOW as NOW } from '../../test/previous-results.js';
import { pruneHistory } from '../../worker/retention.js';
import { migrateToLatest } from '../migrate.js';

// A database made by the previous release (migrations up to 0016, results written through the check_results
// view as 0010 left it, hourly roll-ups as that release's store wrote them), migrated in place: the answers
// about results and uptime are the same after it, texts still resolve, and new results and roll-ups go on.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function previousRelease(dialect: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const database = await createTestDatabase(dialect, { until: '0016_power_more' });
  cleanups.push(database.drop);
  return database;
}

const HOUR = 3600_000;

describe.each(['sqlite', 'postgres'] as const)(
  '0017_history_tiers on a previous release’s database [%s]',
  (dialect) => {
    it('keeps every result and roll-up: the answers are the same after it, and new history goes on', async () => {
      const database = await previousRelease(dialect);
      const { db } = database;
      const checks = await fillResults(db.kysely);
      const asks = [
        { limit: 500 },
        { limit: 20 },
        { limit: 1000, since: new Date(NOW.getTime() - 5 * HOUR).toISOString() },
      ];
      const answers = async (
        results: typeof previousResults | typeof checkResults,
        uptime: typeof previousUptime | typeof checkUptime,
      ) => {
        const all = [];
        for (const check of checks) {
          for (const ask of asks) all.push(await results(db.kysely, check.id, ask));
          all.push(await uptime(db.kysely, check.id, NOW));
          // the old names, as views
          for (const [view, order] of [
            ['check_results', 'at'],
            ['check_rollups', 'hour'],
          ] as const)
            all.push(
              await db.kysely.selectFrom(view).selectAll().where('check_id', '=', check.id).orderBy(order).execute(),
            );
        }
        return all;
      };
      const before = await answers(previousResults, previousUptime);
      expect(before[0]).toHaveLength(300);
      await migrateToLatest(db);
      expect(await answers(checkResults, checkUptime)).toEqual(before);
      // Every text stays in use for the raw results' days, and the minutes start from the raw results.
      const stale = await db.kysely
        .selectFrom('check_texts')
        .select('id')
        .where('last_hour', '<', Math.floor(Date.now() / HOUR))
        .execute();
      expect(stale).toEqual([]);
      const history = await checkHistory(db.kysely, checks[0]!.id, { range: '7d', step: 15 }, NOW);
      expect(history.points.reduce((n, p) => n + p.count, 0)).toBe(300);

      // The same database under a hub: retention packs the minutes, deletes nothing in use, results go on.
      const hub = await createTestHub(dialect, {}, { database: { db, drop: async () => {} } });
      cleanups.push(() => hub.close());
      hub.clock.set(NOW.toISOString());
      const outcome = await pruneHistory(hub.ctx);
      expect(outcome).toMatchObject({ results: 0, rollups: 0, texts: 0 });
      expect(outcome.minutesWritten).toBe(2 * 50); // 16:00 two days ago to 17:00 today; 18:00 is not over
      expect(await checkHistory(db.kysely, checks[0]!.id, { range: '7d', step: 15 }, NOW)).toEqual(history);
      await ingestResults(hub.ctx, { type: 'hub' }, [
        { checkId: checks[0]!.id, at: NOW.toISOString(), status: 'up', latencyMs: 12.5, message: '200 OK' },
      ]);
      const [newest] = await checkResults(db.kysely, checks[0]!.id, { limit: 1 });
      expect(newest).toMatchObject({ at: NOW.toISOString(), message: '200 OK', latencyMs: 12.5 });
      const uptime = await checkUptime(db.kysely, checks[0]!.id, NOW);
      expect(uptime.day.checks).toBe((before[3] as { day: { checks: number } }).day.checks + 1);
    });
  },
);
