import { afterEach, beforeEach, expect, it } from 'vitest';
import { checkHistory } from '../domain/monitoring/check-history.js';
import { setHistoryMark } from '../domain/monitoring/history-marks.js';
import { checkUptime } from '../domain/monitoring/uptime.js';
import { insertCheck } from '../test/checks.js';
import { countRows, insertClientWithSystem } from '../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { daysMark, HOURLY_ROWS_DAYS, packHourlyDays } from './day-rollups.js';
import { pruneHistory } from './retention.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const START_DAY = Math.floor(Date.parse('2025-11-01T00:00:00.000Z') / DAY);
const DAYS = 400;

forEachDatabase('hourly roll-ups packed by day', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect, {
      monitoring: {
        resultRetentionDays: 7,
        minuteRollupRetentionDays: 90,
        rollupRetentionDays: 380,
        probeConcurrency: 10,
        probeEnabled: true,
      },
    });
  });
  afterEach(() => hub.close());
  const db = () => hub.ctx.db.kysely;

  /**
   * `DAYS` days of hourly roll-ups for one check: varied, some hours missing, some without latencies; as the
   * history job writes them (its mark at the last hour).
   */
  async function hourly(checkId: string, salt: number): Promise<number> {
    const [series] = await db().insertInto('check_series').values({ check_id: checkId }).returning('no').execute();
    const rows = [];
    for (let hour = START_DAY * 24; hour < (START_DAY + DAYS) * 24; hour++) {
      const i = hour * 7 + salt;
      if (i % 97 === 0) continue;
      const count = i % 13 === 0 ? 61 : 60;
      const latencyCount = i % 89 === 0 ? 0 : count - (i % 5 === 0 ? 1 : 0);
      rows.push({
        series: series!.no,
        hour,
        count,
        failures: i % 11 === 0 ? i % 4 : 0,
        latency_count: latencyCount,
        latency_sum: latencyCount ? latencyCount * 12_000 + ((i * 7919) % 50_000) : 0,
        latency_min: latencyCount ? 9_000 + ((i * 31) % 2_000) : null,
        latency_max: latencyCount ? 20_000 + ((i * 131) % 90_000) : null,
      });
    }
    for (let at = 0; at < rows.length; at += 500)
      await db()
        .insertInto('check_hourly')
        .values(rows.slice(at, at + 500))
        .execute();
    await setHistoryMark(db(), 'hourly', (START_DAY + DAYS) * 24 - 1);
    return series!.no;
  }

  async function answers(checkIds: string[], now: Date) {
    return Promise.all(
      checkIds.flatMap((id) => [
        checkUptime(db(), id, now),
        ...[60, 180, 1440].map((step) => checkHistory(db(), id, { range: '1y', step }, now)),
        checkHistory(db(), id, { range: '90d', step: 60 }, now),
        checkHistory(db(), id, { range: '90d', step: 30 }, now),
      ]),
    );
  }

  it('packs the days past the 30-day window and answers the 1-year history and uptime exactly as before', async () => {
    const { system } = await insertClientWithSystem(db());
    const checks = [await insertCheck(db(), system), await insertCheck(db(), system)];
    const series = [await hourly(checks[0]!.id, 0), await hourly(checks[1]!.id, 5)];
    const now = new Date((START_DAY + DAYS) * DAY - 20 * 60_000);
    hub.clock.set(now.toISOString());
    const ids = checks.map((c) => c.id);
    const before = await answers(ids, now);
    expect(before[1]).toMatchObject({ range: '1y', stepMinutes: 60 });

    const outcome = await pruneHistory(hub.ctx);
    const lastPacked = START_DAY + DAYS - 1 - HOURLY_ROWS_DAYS - 1;
    const firstKept = Math.floor(Math.ceil(now.getTime() / HOUR - 380 * 24) / 24);
    expect(outcome.rollups).toBeGreaterThan(0);
    expect(outcome.daysPacked).toBe(2 * 31); // a pass packs at most 31 days
    while ((await packHourlyDays(db(), { now: now.getTime() })) > 0);
    expect(await daysMark(db())).toBe(lastPacked);
    expect(await countRows(db(), 'check_days')).toBe(2 * (lastPacked - firstKept + 1));
    const left = await db().selectFrom('check_hourly').select('hour').orderBy('hour').executeTakeFirstOrThrow();
    expect(left.hour).toBe((lastPacked + 1) * 24);

    const after = await answers(ids, now);
    expect(after).toEqual(before);
    // the history reaches back into the packed days, and beyond the hourly rows left
    const oneYear = after[3] as Awaited<ReturnType<typeof checkHistory>>;
    expect(Date.parse(oneYear.points[0]!.at)).toBeLessThan(lastPacked * DAY);
    expect(oneYear.summary.checks).toBeGreaterThan(360 * 24 * 59);

    // An hour written late into a packed day (an agent's old backlog) is counted beside it, and a pass run
    // again over that day (as after a kill) keeps both as they are.
    const late = (lastPacked - 3) * 24 + 5;
    await db()
      .insertInto('check_hourly')
      .values({
        series: series[0]!,
        hour: late,
        count: 2,
        failures: 1,
        latency_count: 1,
        latency_sum: 1_000,
        latency_min: 1_000,
        latency_max: 1_000,
      })
      .execute();
    await db()
      .updateTable('history_marks')
      .set({ hour: lastPacked - 10 })
      .where('name', '=', 'days')
      .execute();
    expect(await packHourlyDays(db(), { now: now.getTime() })).toBe(0);
    expect(await daysMark(db())).toBe(lastPacked);
    const withLate = (await checkHistory(db(), ids[0]!, { range: '1y', step: 1440 }, now)).summary;
    const without = (before[3] as Awaited<ReturnType<typeof checkHistory>>).summary;
    expect(withLate.checks).toBe(without.checks + 2);
    expect(withLate.failures).toBe(without.failures + 1);
    expect(withLate.latencyMinMs).toBe(1);
  });

  it('deletes a packed day once all its hours are past the hourly retention', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await hourly(check.id, 3);
    const now = (START_DAY + DAYS) * DAY + 10 * 60_000;
    while ((await packHourlyDays(db(), { now })) > 0);
    const packed = await countRows(db(), 'check_days');
    expect(packed).toBe(DAYS - HOURLY_ROWS_DAYS);
    hub.clock.set(new Date(now).toISOString());
    const outcome = await pruneHistory(hub.ctx);
    expect(outcome.days).toBe(DAYS - 380);
    expect(outcome.daysPacked).toBe(0);
    const oldest = await db().selectFrom('check_days').select('day').orderBy('day').executeTakeFirstOrThrow();
    expect(oldest.day).toBe(START_DAY + DAYS - 380);
  });
});
