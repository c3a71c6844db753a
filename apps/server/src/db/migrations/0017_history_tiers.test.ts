import { afterEach, describe, expect, it } from 'vitest';
import { checkHistory } from '../../domain/monitoring/check-history.js';
import { checkResults } from '../../domain/monitoring/history-queries.js';
import { ingestResults } from '../../domain/monitoring/ingest.js';
import { checkUptime } from '../../domain/monitoring/uptime.js';
import { insertCheck } from '../../test/checks.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { createTestDatabase, createTestHub, type TestDatabase } from '../../test/harness.js';
import { previousResults } from '../../test/previous-release.js';
import { pruneHistory } from '../../worker/retention.js';
import type { Kdb } from '../database.js';
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

const NOW = new Date('2026-11-20T18:30:00.000Z');
const HOUR = 3600_000;

async function fill(db: Kdb) {
  const { site, system } = await insertClientWithSystem(db);
  const checks = [await insertCheck(db, system), await insertCheck(db, system, { probe: 'agent' })];
  for (const [c, check] of checks.entries()) {
    const results = [];
    const hourly = new Map<
      number,
      { count: number; failures: number; lc: number; ls: number; min: number | null; max: number | null }
    >();
    for (let i = 0; i < 50 * 6; i++) {
      const atMs = NOW.getTime() - 50 * HOUR + i * 600_000 + c * 1234 + (i % 7);
      const down = i % 13 === 5;
      const latency = down ? null : [12.3, 0.036, 150, 9.9, 1234.5][i % 5]!;
      results.push({
        check_id: check.id,
        at: new Date(atMs).toISOString(),
        status: down ? 'down' : i % 17 === 3 ? 'degraded' : 'up',
        latency_ms: latency,
        message: down ? `connect ECONNREFUSED 127.0.0.1:${8000 + (i % 11)}` : c === 1 ? 'port 22 open' : '200 OK',
        source: c === 1 ? `agent:${site.id}` : 'hub',
      });
      const h = Math.floor(atMs / HOUR);
      const b = hourly.get(h) ?? { count: 0, failures: 0, lc: 0, ls: 0, min: null, max: null };
      b.count++;
      if (down) b.failures++;
      if (latency !== null) {
        const us = Math.round(latency * 1000);
        b.lc++;
        b.ls += us;
        b.min = b.min === null ? us : Math.min(b.min, us);
        b.max = b.max === null ? us : Math.max(b.max, us);
      }
      hourly.set(h, b);
    }
    await db.insertInto('check_results').values(results).execute();
    const { no } = await db
      .selectFrom('check_series')
      .select('no')
      .where('check_id', '=', check.id)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('check_hourly')
      .values(
        [...hourly].map(([hour, b]) => ({
          series: no,
          hour,
          count: b.count,
          failures: b.failures,
          latency_count: b.lc,
          latency_sum: b.ls,
          latency_min: b.min,
          latency_max: b.max,
        })),
      )
      .execute();
  }
  return checks;
}

describe.each(['sqlite', 'postgres'] as const)(
  '0017_history_tiers on a previous release’s database [%s]',
  (dialect) => {
    it('keeps every result and roll-up: the answers are the same after it, and new history goes on', async () => {
      const database = await previousRelease(dialect);
      const { db } = database;
      const checks = await fill(db.kysely);
      const asks = [
        { limit: 500 },
        { limit: 20 },
        { limit: 1000, since: new Date(NOW.getTime() - 5 * HOUR).toISOString() },
      ];
      const answers = async (results: typeof checkResults) => {
        const all = [];
        for (const check of checks) {
          for (const ask of asks) all.push(await results(db.kysely, check.id, ask));
          all.push(await checkUptime(db.kysely, check.id, NOW));
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
      const before = await answers(previousResults);
      expect(before[0]).toHaveLength(300);
      await migrateToLatest(db);
      expect(await answers(checkResults)).toEqual(before);
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
