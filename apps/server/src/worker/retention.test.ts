import { afterEach, beforeEach, expect, it } from 'vitest';
import { checkResults } from '../domain/monitoring/history-queries.js';
import { ingestResults, type IncomingResult } from '../domain/monitoring/ingest.js';
import { checkUptime, uptimeOf } from '../domain/monitoring/uptime.js';
import { insertCheck } from '../test/checks.js';
import { countRows, insertClientWithSystem } from '../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { rollUpHours } from './hourly-rollups.js';
import { pruneHistory } from './retention.js';

const HOUR = 3600_000;
const START = Date.parse('2026-11-01T00:00:00.000Z');

it.each([
  [{ count: 0, failures: 0 }, null],
  [{ count: 4, failures: 1 }, 75],
  [{ count: 3, failures: 1 }, 66.667],
  [{ count: 1000, failures: 0 }, 100],
])('uptime of %j is %s %%', (sums, percent) => {
  expect(uptimeOf({ ...sums, latencyCount: 0, latencySum: 0, latencyMin: null, latencyMax: null }).percent).toBe(
    percent,
  );
});

forEachDatabase('history retention and uptime', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect, {
      monitoring: {
        resultRetentionDays: 7,
        minuteRollupRetentionDays: 90,
        rollupRetentionDays: 30,
        probeConcurrency: 10,
        probeEnabled: true,
      },
    });
  });
  afterEach(() => hub.close());
  const db = () => hub.ctx.db.kysely;

  /** One result an hour for `days` days from START (or `fromDay` days after it); every fourth hour down. */
  async function history(checkId: string, days: number, fromDay = 0): Promise<void> {
    const results: IncomingResult[] = [];
    for (let h = fromDay * 24; h < (fromDay + days) * 24; h++) {
      const down = h % 4 === 3;
      results.push({
        checkId,
        at: new Date(START + h * HOUR + 60_000).toISOString(),
        status: down ? 'down' : 'up',
        latencyMs: down ? null : 10 + (h % 3),
        message: 'x',
      });
    }
    for (let i = 0; i < results.length; i += 200)
      await ingestResults(hub.ctx, { type: 'hub' }, results.slice(i, i + 200));
  }

  it('computes uptime for 24 hours, 7 and 30 days from the hourly roll-ups', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await history(check.id, 40);
    hub.clock.set(new Date(START + 40 * 24 * HOUR - 1).toISOString()); // the last minute of day 40
    const uptime = await checkUptime(db(), check.id, hub.clock.now());
    expect(uptime.day).toMatchObject({
      checks: 24,
      failures: 6,
      percent: 75,
      latencyMinMs: 10,
      latencyMaxMs: 12,
      latencyMeanMs: 11,
    });
    expect(uptime.week).toMatchObject({ checks: 168, failures: 42, percent: 75 });
    expect(uptime.month).toMatchObject({ checks: 720, failures: 180, percent: 75 });
    expect(uptime.hourly).toHaveLength(48);
    expect(uptime.hourly[3]).toMatchObject({ count: 1, failures: 1, latencyMeanMs: null });
  });

  it('deletes raw results after their days and roll-ups after theirs, in bounded batches', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await history(check.id, 40);
    expect(await countRows(db(), 'check_results')).toBe(960);
    // the history job kept up: hourly roll-ups of every hour that is over (the last one is within its grace)
    const now = START + 40 * 24 * HOUR;
    expect(await rollUpHours(db(), { now, resultRetentionDays: 7, maxHours: 40 * 24 })).toBe(959);
    expect(await countRows(db(), 'check_rollups')).toBe(959);
    hub.clock.set(new Date(now).toISOString());
    const outcome = await pruneHistory(hub.ctx, { batch: 100 });
    // the per-minute roll-ups of every hour that is over and still has its raw results are written first, and
    // those hours' raw results packed
    expect(outcome).toEqual({
      minutesWritten: 7 * 24 - 1,
      hoursWritten: 0,
      hoursPacked: 7 * 24 - 1,
      results: 960 - 7 * 24,
      resultHours: 0,
      minutes: 0,
      rollups: 960 - 30 * 24,
      days: 0,
      daysPacked: 0,
      texts: 0,
    });
    expect(await countRows(db(), 'check_results')).toBe(1);
    expect(await countRows(db(), 'check_sample_hours')).toBe(7 * 24 - 1);
    expect(await countRows(db(), 'check_rollups')).toBe(30 * 24 - 1);
    const kept = await checkResults(db(), check.id, { limit: 1000 });
    expect(kept).toHaveLength(7 * 24);
    expect(Date.parse(kept.at(-1)!.at)).toBeGreaterThanOrEqual(START + 33 * 24 * HOUR);
    expect(await pruneHistory(hub.ctx, { batch: 100 })).toEqual({
      minutesWritten: 0,
      hoursWritten: 0,
      hoursPacked: 0,
      results: 0,
      resultHours: 0,
      minutes: 0,
      rollups: 0,
      days: 0,
      daysPacked: 0,
      texts: 0,
    });

    // A pass stops after its batch budget; the next pass carries on. (The hourly job writes the last raw
    // result's hour before it is deleted.)
    hub.clock.set(new Date(START + 60 * 24 * HOUR).toISOString());
    expect(await pruneHistory(hub.ctx, { batch: 50, maxBatches: 2 })).toEqual({
      minutesWritten: 0,
      hoursWritten: 1,
      hoursPacked: 0,
      results: 1,
      resultHours: 100,
      minutes: 0,
      rollups: 100,
      days: 0,
      daysPacked: 0,
      texts: 0,
    });
  });

  it('deletes only the rows past their days, of the checks that have them', async () => {
    const { system } = await insertClientWithSystem(db());
    const old = await insertCheck(db(), system);
    const recent = await insertCheck(db(), system);
    const silent = await insertCheck(db(), system);
    await history(old.id, 10);
    await history(recent.id, 2, 8);
    const now = START + 10 * 24 * HOUR;
    await rollUpHours(db(), { now, resultRetentionDays: 7, maxHours: 10 * 24 });
    hub.clock.set(new Date(now).toISOString());
    const outcome = await pruneHistory(hub.ctx, { batch: 7 });
    expect(outcome.results).toBe(3 * 24);
    expect(await checkResults(db(), old.id, { limit: 1000 })).toHaveLength(7 * 24);
    expect(await checkResults(db(), recent.id, { limit: 1000 })).toHaveLength(2 * 24);
    expect(await checkResults(db(), silent.id, { limit: 1000 })).toHaveLength(0);
  });
});
