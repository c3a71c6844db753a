import { expect, it } from 'vitest';
import { unpackMinutes } from '../db/dialects/minute-packing.js';
import { checkHistory } from '../domain/monitoring/check-history.js';
import { hourlyMark, setHistoryMark } from '../domain/monitoring/history-marks.js';
import { rawMinutes } from '../domain/monitoring/history-queries.js';
import { ingestResults, type IncomingResult } from '../domain/monitoring/ingest.js';
import { checkUptime } from '../domain/monitoring/uptime.js';
import { insertCheck } from '../test/checks.js';
import { countRows, insertClientWithSystem } from '../test/factories.js';
import { forEachDatabase, hubPerTest } from '../test/harness.js';
import { passOverHours } from './hour-pass.js';
import { rollUpHours, writeHourOf } from './hourly-rollups.js';
import { writeHourlyRows } from '../domain/monitoring/hourly-rows.js';
import { rawHours } from '../domain/monitoring/raw-hours.js';
import { pruneHistory } from './retention.js';

const HOUR = 3600_000;
const START = Date.parse('2026-11-01T00:00:00.000Z');
const H0 = START / HOUR;

forEachDatabase('hourly roll-ups written once per closed hour', (dialect) => {
  const testHub = hubPerTest(dialect);
  const db = () => testHub().ctx.db.kysely;

  /** A result every 5 minutes for `hours` hours from `from`: some down, some without a latency. */
  function results(checkId: string, from: number, hours: number): IncomingResult[] {
    return Array.from({ length: hours * 12 }, (_, i) => ({
      checkId,
      at: new Date(from + i * 300_000 + ((i * 37) % 900)).toISOString(),
      status: i % 7 === 6 ? 'down' : i % 11 === 0 ? 'degraded' : 'up',
      latencyMs: i % 7 === 6 && i % 2 ? null : 10 + ((i * 13) % 40) / 10 + (i % 5 === 0 ? 0.001 : 0),
      message: i % 7 === 6 ? `timed out after ${i} ms` : '200 OK',
    }));
  }
  const ingest = (list: IncomingResult[]) => ingestResults(testHub().ctx, { type: 'hub' }, list);
  const hourlyRows = () => db().selectFrom('check_hourly').selectAll().orderBy('series').orderBy('hour').execute();
  const answers = async (ids: string[], now: Date) =>
    Promise.all(
      ids.flatMap((id) => [
        checkUptime(db(), id, now),
        ...[15, 60, 180].map((step) => checkHistory(db(), id, { range: '7d', step }, now)),
        checkHistory(db(), id, { range: '1d' }, now),
      ]),
    );

  it('writes each closed hour once from raw results; answers are the same before and after, open hour included', async () => {
    const { system } = await insertClientWithSystem(db());
    const checks = [await insertCheck(db(), system), await insertCheck(db(), system)];
    const ids = checks.map((c) => c.id);
    // hours 0–4, the last one open at `now`
    const now = new Date(START + 4 * HOUR + 40 * 60_000);
    testHub().clock.set(now.toISOString());
    await ingest(results(ids[0]!, START, 5).filter((r) => r.at <= now.toISOString()));
    await ingest(results(ids[1]!, START + 2 * HOUR, 3).filter((r) => r.at <= now.toISOString()));
    expect(await countRows(db(), 'check_hourly')).toBe(0);
    const before = await answers(ids, now);
    expect(before[0]).toMatchObject({ day: { checks: 4 * 12 + 8 } });

    // hours 0–3 are over (and past the grace); the history job writes them, then packs their raw results
    const outcome = await pruneHistory(testHub().ctx);
    expect(outcome).toMatchObject({ minutesWritten: 6, hoursWritten: 6, hoursPacked: 6 });
    expect(await hourlyMark(db())).toBe(H0 + 3);
    const rows = await hourlyRows();
    expect(rows.map((r) => Number(r.hour) - H0)).toEqual([0, 1, 2, 3, 2, 3]);
    expect(rows.every((r) => Number(r.count) === 12)).toBe(true);
    expect(await answers(ids, now)).toEqual(before);

    // Run again over the same hours (as after a kill before the mark was kept): nothing changes.
    await setHistoryMark(db(), 'hourly', H0 - 1);
    expect(await rollUpHours(db(), { now: now.getTime(), resultRetentionDays: 7 })).toBe(6);
    expect(await hourlyRows()).toEqual(rows);
    expect(await answers(ids, now)).toEqual(before);
    // and the open hour, once over, is written like the others
    const later = new Date(START + 5 * HOUR + 6 * 60_000);
    const beforeLater = await answers(ids, later);
    expect(await rollUpHours(db(), { now: later.getTime(), resultRetentionDays: 7 })).toBe(2);
    expect(await answers(ids, later)).toEqual(beforeLater);
    expect((await checkUptime(db(), ids[0]!, later)).day.checks).toBe(4 * 12 + 8);
  });

  it('counts a late result once: by the job before its hour is written, by ingest in both tiers after', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    testHub().clock.set(new Date(START + 3 * HOUR).toISOString());
    await ingest(results(check.id, START, 3));
    const { no } = await db()
      .selectFrom('check_series')
      .select('no')
      .where('check_id', '=', check.id)
      .executeTakeFirstOrThrow();
    const late = (at: number, latencyMs: number | null): IncomingResult => ({
      checkId: check.id,
      at: new Date(at).toISOString(),
      status: 'down',
      latencyMs,
      message: 'late',
    });

    // Before the job: a late result of hour 1 is left to the job (ingest writes no hourly row).
    testHub().clock.set(new Date(START + 3 * HOUR + 10 * 60_000).toISOString());
    expect(await ingest([late(START + HOUR + 1_000, 1.5)])).toMatchObject({ stored: 1 });
    expect(await countRows(db(), 'check_hourly')).toBe(0);
    await pruneHistory(testHub().ctx); // hours 0–2 written and packed
    const hour1 = async () => {
      const row = await db()
        .selectFrom('check_hourly')
        .selectAll()
        .where('hour', '=', H0 + 1)
        .executeTakeFirstOrThrow();
      return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : Number(v)]));
    };
    expect(await hour1()).toMatchObject({ count: 13, latency_min: 1500 });
    expect(await countRows(db(), 'check_sample_hours')).toBe(3);

    // After: a result late for the packed hour 1 reaches its hourly row and its per-minute row.
    const minuteOf = async (minute: number) => {
      const row = await db()
        .selectFrom('check_minutes')
        .select('minutes')
        .where('series', '=', no)
        .where('hour', '=', H0 + 1)
        .executeTakeFirstOrThrow();
      return unpackMinutes(row.minutes).find((m) => m.minute === minute);
    };
    const fromRaw = async () =>
      (await rawMinutes(db(), [no], START + HOUR, START + 2 * HOUR))
        .get(no)!
        .find((m) => m.minute === START / 60_000 + 67)!;
    const wasMinute = await minuteOf(7);
    const wasHour = await hour1();
    expect(await ingest([late(START + HOUR + 7 * 60_000 + 30_000, 0.9)])).toMatchObject({ stored: 1 });
    expect(await hour1()).toEqual({
      ...wasHour,
      count: wasHour.count! + 1,
      failures: wasHour.failures! + 1,
      latency_count: wasHour.latency_count! + 1,
      latency_sum: wasHour.latency_sum! + 900,
      latency_min: 900,
    });
    const minute = await minuteOf(7);
    expect(minute).toMatchObject({ count: (wasMinute?.count ?? 0) + 1, failures: (wasMinute?.failures ?? 0) + 1 });
    expect({ ...minute, minute: START / 60_000 + 67 }).toEqual(await fromRaw());
    // a resent late result changes nothing
    expect(await ingest([late(START + HOUR + 7 * 60_000 + 30_000, 0.9)])).toMatchObject({ stored: 0 });
    expect(await hour1()).toMatchObject({ count: wasHour.count! + 1 });

    // Eight days on (an agent's backlog older than raw results are kept): the hourly row is added to, the
    // per-minute row is not written again from raw results that may be partly gone.
    const minutesRow = () =>
      db()
        .selectFrom('check_minutes')
        .selectAll()
        .where('series', '=', no)
        .where('hour', '=', H0 + 1)
        .execute();
    const keptMinutes = await minutesRow();
    testHub().clock.set(new Date(START + 8 * 24 * HOUR).toISOString());
    expect(await ingest([late(START + HOUR + 9 * 60_000, 2)])).toMatchObject({ stored: 1 });
    expect(await hour1()).toMatchObject({ count: wasHour.count! + 2 });
    expect(await minutesRow()).toEqual(keptMinutes);
  });

  it.each([
    ['after the job wrote its check’s row', 'after'],
    ['between the job’s read of the hour and its write', 'between'],
  ] as const)('counts a late result stored while the job writes its hour once: %s', async (_, when) => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    testHub().clock.set(new Date(START + 2 * HOUR).toISOString());
    await ingest(results(check.id, START, 2));
    testHub().clock.set(new Date(START + 2 * HOUR + 10 * 60_000).toISOString());
    const late = () =>
      ingest([
        {
          checkId: check.id,
          at: new Date(START + HOUR + 59_000).toISOString(),
          status: 'down',
          latencyMs: null,
          message: 'late',
        },
      ]);
    // The job's hours 0 and 1 as rollUpHours runs them (announced, then written part by part); a late result of
    // hour 1 is stored in the middle of it, before the mark moves.
    await passOverHours(
      db(),
      'hourly',
      H0 + 1,
      { now: START + 2 * HOUR + 10 * 60_000, resultRetentionDays: 7, announced: true, everyHour: true },
      async (part, hour) => {
        if (hour !== H0 + 1) return writeHourOf(db(), part, hour);
        if (when === 'after') {
          const written = await writeHourOf(db(), part, hour);
          expect(await late()).toMatchObject({ stored: 1 });
          return written;
        }
        const sums = await rawHours(db(), part, hour * HOUR, (hour + 1) * HOUR);
        expect(await late()).toMatchObject({ stored: 1 });
        return writeHourlyRows(db(), sums, 'keep');
      },
    );
    expect(await hourlyMark(db())).toBe(H0 + 1);
    const row = await db()
      .selectFrom('check_hourly')
      .selectAll()
      .where('hour', '=', H0 + 1)
      .executeTakeFirstOrThrow();
    const raw = (await rawHours(db(), [Number(row.series)], START + HOUR, START + 2 * HOUR)).get(
      Number(row.series),
    )![0]!;
    expect(raw.count).toBe(13);
    expect(
      [row.count, row.failures, row.latency_count, row.latency_sum, row.latency_min, row.latency_max].map(Number),
    ).toEqual([raw.count, raw.failures, raw.latencyCount, raw.latencySum, raw.latencyMin, raw.latencyMax]);
  });
});
