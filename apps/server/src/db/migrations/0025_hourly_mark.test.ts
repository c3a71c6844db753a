import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkHistory } from '../../domain/monitoring/check-history.js';
import { hourlyMark } from '../../domain/monitoring/history-marks.js';
import { checkUptime } from '../../domain/monitoring/uptime.js';
import { countRows } from '../../test/factories.js';
import { createTestDatabase, createTestHub } from '../../test/harness.js';
import { previousUptime } from '../../test/previous-release.js';
import { fillResults, RESULTS_NOW as NOW } from '../../test/previous-results.js';
import { pruneHistory } from '../../worker/retention.js';
import { migrateToLatest } from '../migrate.js';

// A database made by the previous release (up to 0024: results, and hourly roll-ups summed by ingest as results
// came, the current hour's included), migrated while its hour 18:00 is still open: the hours before keep their
// rows under the new mark, the open hour's rows go (the job writes them from raw results once it is over), and
// every answer is the same throughout.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const HOUR = 3600_000;
const LAST_CLOSED = Math.floor(NOW.getTime() / HOUR) - 1;

describe.each(['sqlite', 'postgres'] as const)('0025_hourly_mark on a previous release’s database [%s]', (dialect) => {
  it('marks the hours over as written, rebuilds the open one from raw results, and answers the same', async () => {
    const database = await createTestDatabase(dialect, { until: '0024_checks_fillfactor' });
    cleanups.push(database.drop);
    const db = database.db.kysely;
    const checks = await fillResults(db);
    const rowsBefore = await db.selectFrom('check_hourly').selectAll().orderBy('series').orderBy('hour').execute();
    expect(rowsBefore.some((r) => Number(r.hour) === LAST_CLOSED + 1)).toBe(true);
    const uptimes = async (uptime: typeof checkUptime) => {
      const all = [];
      for (const check of checks) all.push(await uptime(db, check.id, NOW));
      return all;
    };
    const before = await uptimes(previousUptime);

    vi.spyOn(Date, 'now').mockReturnValue(NOW.getTime()); // the migration runs at 18:30
    expect((await migrateToLatest(database.db)).applied).toEqual([
      '0025_hourly_mark',
      '0026_text_hash',
      '0027_checks_placed',
    ]);
    vi.restoreAllMocks();
    expect(await hourlyMark(db)).toBe(LAST_CLOSED);
    const kept = await db.selectFrom('check_hourly').selectAll().orderBy('series').orderBy('hour').execute();
    expect(kept).toEqual(rowsBefore.filter((r) => Number(r.hour) <= LAST_CLOSED));
    expect(await uptimes(checkUptime)).toEqual(before);
    const histories = async (at: Date) => {
      const all = [];
      for (const check of checks)
        for (const step of [60, 180, 15]) all.push(await checkHistory(db, check.id, { range: '7d', step }, at));
      return all;
    };
    const history = await histories(NOW);

    // Under a hub, once 18:00 is over: the job writes it from raw results, as the previous release had it.
    const hub = await createTestHub(dialect, {}, { database: { db: database.db, drop: async () => {} } });
    cleanups.push(() => hub.close());
    hub.clock.set(new Date(NOW.getTime() + 40 * 60_000).toISOString()); // 19:10
    expect(await pruneHistory(hub.ctx)).toMatchObject({ hoursWritten: 2, results: 0, rollups: 0, texts: 0 });
    expect(await hourlyMark(db)).toBe(LAST_CLOSED + 1);
    expect(await db.selectFrom('check_hourly').selectAll().orderBy('series').orderBy('hour').execute()).toEqual(
      rowsBefore,
    );
    expect(await uptimes(checkUptime)).toEqual(before);
    expect(await histories(NOW)).toEqual(history);
    expect(await countRows(db, 'check_sample_hours')).toBeGreaterThan(0);
  });

  it('gives a database without hourly rows no mark: the job starts at its oldest raw result', async () => {
    const database = await createTestDatabase(dialect, { until: '0024_checks_fillfactor' });
    cleanups.push(database.drop);
    await migrateToLatest(database.db);
    expect(await hourlyMark(database.db.kysely)).toBeNull();
  });
});
