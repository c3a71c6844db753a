import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { keyParam } from '../db/dialects/result-key.js';
import { checkHistory } from '../domain/monitoring/check-history.js';
import { checkResults, rawMinutes } from '../domain/monitoring/history-queries.js';
import { ingestResults, type IncomingResult } from '../domain/monitoring/ingest.js';
import { insertCheck } from '../test/checks.js';
import { countRows, insertClientWithSystem, signedInAs } from '../test/factories.js';
import { forEachDatabase, hubPerTest } from '../test/harness.js';
import { pruneHistory } from './retention.js';
import { packSampleHours, samplesMark } from './sample-packing.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2026-11-01T00:00:00.000Z');

forEachDatabase('raw results packed by check and hour', (dialect) => {
  const testHub = hubPerTest(dialect); // raw results kept 7 days, the default
  const db = () => testHub().ctx.db.kysely;

  /** A result a minute at a wandering second (two in every tenth minute) for `hours` hours from `from`. */
  function minutes(checkId: string, from: number, hours: number, message = (i: number) => `200 OK ${i % 3}`) {
    const results: IncomingResult[] = [];
    for (let i = 0; i < hours * 60; i++) {
      const down = i % 7 === 6;
      const at = from + i * 60_000 + 5_000 + ((i * 37) % 900);
      const result = (t: number, n: number): IncomingResult => ({
        checkId,
        at: new Date(t).toISOString(),
        status: down ? 'down' : i % 11 === 0 ? 'degraded' : 'up',
        latencyMs: down && i % 2 ? null : 10 + ((i * 7 + n) % 40) / 10 + (i % 13 === 0 ? 0.001 : 0),
        message: down ? `timed out after ${i} ms` : message(i),
      });
      results.push(result(at, 0));
      if (i % 10 === 0) results.push(result(at + 20_000, 1));
    }
    return results;
  }
  const ingest = async (results: IncomingResult[]) => {
    let stored = 0;
    for (let i = 0; i < results.length; i += 500)
      stored += (await ingestResults(testHub().ctx, { type: 'hub' }, results.slice(i, i + 500))).stored;
    return stored;
  };

  it('packs the hours rolled up, and every reader of raw results answers the same; a resent result is refused', async () => {
    const { system, client } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    const other = await insertCheck(db(), system);
    await ingest(minutes(check.id, START, 5));
    await ingest(minutes(other.id, START + 2 * HOUR, 3, () => 'port 443 open'));
    testHub().clock.set(new Date(START + 5 * HOUR + 10 * 60_000).toISOString());
    const now = testHub().clock.now();
    const viewer = await signedInAs(testHub(), 'client', client.id);
    const series = (await db().selectFrom('check_series').select('no').orderBy('no').execute()).map((r) => r.no);
    const answers = async () => ({
      api: (await viewer.get(`/api/checks/${check.id}/results?limit=500`)).body,
      all: await checkResults(db(), check.id, { limit: 1000 }),
      since: await checkResults(db(), check.id, { limit: 50, since: new Date(START + 90 * 60_000).toISOString() }),
      newest: await checkResults(db(), other.id, { limit: 3 }),
      minutes: [...(await rawMinutes(db(), series, START, START + 6 * HOUR))],
      part: [...(await rawMinutes(db(), series, START + 2 * HOUR + 17 * 60_000, START + 3 * HOUR + 3 * 60_000))],
      history: await Promise.all([1, 15, 60].map((step) => checkHistory(db(), check.id, { range: '1d', step }, now))),
    });
    const before = await answers();
    expect(before.all).toHaveLength(330);
    expect(before.api.items).toHaveLength(330);
    expect(before.since.at(-1)!.at >= new Date(START + 90 * 60_000).toISOString()).toBe(true);

    // Hours 0–4 are over (hour 4 ended 10 minutes ago, past the grace): rolled up, then packed.
    const outcome = await pruneHistory(testHub().ctx);
    expect(outcome).toMatchObject({ minutesWritten: 8, hoursPacked: 8 });
    expect(await samplesMark(db())).toBe(START / HOUR + 4);
    expect(await countRows(db(), 'check_samples')).toBe(0);
    expect(await countRows(db(), 'check_sample_hours')).toBe(8);
    expect(await answers()).toEqual(before);

    // A result that comes late for a packed hour stays a raw row, and readers add it.
    const late: IncomingResult = {
      checkId: check.id,
      at: new Date(START + 2 * HOUR + 30_001).toISOString(),
      status: 'down',
      latencyMs: 5000,
      message: 'late',
    };
    expect(await ingest([late])).toBe(1);
    expect(await countRows(db(), 'check_samples')).toBe(1);
    // The old check_results view shows raw rows only: the late one, none of the packed hours (ADR 0017).
    expect(await countRows(db(), 'check_results')).toBe(1);
    const withLate = await checkResults(db(), check.id, { limit: 1000 });
    expect(withLate).toHaveLength(331);
    expect(withLate.find((r) => r.message === 'late')).toMatchObject({ at: late.at, status: 'down', latencyMs: 5000 });
    const minute = START / 60_000 + 120;
    const was = new Map(before.minutes).get(series[0]!)!.find((m) => m.minute === minute)!;
    expect((await rawMinutes(db(), series, minute * 60_000, (minute + 1) * 60_000)).get(series[0]!)).toEqual([
      {
        minute,
        count: was.count + 1,
        failures: was.failures + 1,
        latencyCount: was.latencyCount + 1,
        latencySumMs: was.latencySumMs + 5000,
      },
    ]);

    // Resent results — packed ones and the late raw one — are refused as stored already.
    const resent = minutes(check.id, START, 5).slice(100, 140);
    expect(await ingest([...resent, late])).toBe(0);
    expect(await checkResults(db(), check.id, { limit: 1000 })).toEqual(withLate);
    // and packing the hour again leaves it as it is (the late raw row stays raw, the packed row is not rewritten)
    await db()
      .updateTable('history_marks')
      .set({ hour: START / HOUR + 1 })
      .where('name', '=', 'samples')
      .execute();
    await pruneHistory(testHub().ctx);
    expect(await countRows(db(), 'check_samples')).toBe(1);
    expect(await checkResults(db(), check.id, { limit: 1000 })).toEqual(withLate);
  });

  it('deletes packed hours after the raw results’ days, and texts once no packed hour refers to them', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await ingest(minutes(check.id, START, 2, () => 'packed text'));
    testHub().clock.set(new Date(START + 2 * HOUR + 10 * 60_000).toISOString());
    expect((await pruneHistory(testHub().ctx)).hoursPacked).toBe(2);
    const texts = async () => (await db().selectFrom('check_texts').select('message').execute()).map((t) => t.message);

    // Half of hour 0 is past 7 days: the hour is kept until all of it is, and its texts with it.
    testHub().clock.set(new Date(START + 7 * DAY + 30 * 60_000).toISOString());
    expect(await pruneHistory(testHub().ctx)).toMatchObject({ resultHours: 0, texts: 0 });
    expect(await checkResults(db(), check.id, { limit: 1000 })).toHaveLength(132);
    testHub().clock.set(new Date(START + 7 * DAY + HOUR + 60_000).toISOString());
    // hour 0 goes, and the timeout texts only it used (minutes 6, 13, … 55: 8); "packed text" is in hour 1 too
    expect(await pruneHistory(testHub().ctx)).toMatchObject({ resultHours: 1, texts: 8 });
    expect(await texts()).toContain('packed text');
    const left = await checkResults(db(), check.id, { limit: 1000 });
    expect(left).toHaveLength(66);
    expect(left.every((r) => r.message !== '')).toBe(true);
    testHub().clock.set(new Date(START + 7 * DAY + 2 * HOUR + 60_000).toISOString());
    // the last 9 timeout texts and "packed text" as up and as degraded (two texts)
    expect(await pruneHistory(testHub().ctx)).toMatchObject({ resultHours: 1, texts: 11 });
    expect(await texts()).toEqual([]);
    expect(await checkResults(db(), check.id, { limit: 1000 })).toEqual([]);
  });

  it('leaves an hour raw when a result in it cannot be packed exactly', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await ingest(minutes(check.id, START, 2));
    // A latency of 31,710 years (1e18 µs, past the 2^53 a JavaScript number holds exactly), as a SQLite database
    // written before ingest refused such latencies may hold; the per-minute job cannot pack it either, so the hours
    // are marked rolled up by hand.
    const { no } = await db()
      .selectFrom('check_series')
      .select('no')
      .where('check_id', '=', check.id)
      .executeTakeFirstOrThrow();
    const storeHugeLatency = sql`update check_samples set latency = 1000000000000000000
      where key = (select max(key) from check_samples where key < ${keyParam(no, START + 71 * 60_000)})`.execute(db());
    if (dialect === 'postgres') {
      // PostgreSQL's integer column refuses such a latency, so no such hour can exist there.
      await expect(storeHugeLatency).rejects.toThrow(/out of range/);
      return;
    }
    await storeHugeLatency;
    const before = await checkResults(db(), check.id, { limit: 1000 });
    expect(before.some((r) => (r.latencyMs ?? 0) > 1e14)).toBe(true);
    await db()
      .insertInto('check_minutes')
      .values([0, 1].map((h) => ({ series: no, hour: START / HOUR + h, minutes: Buffer.alloc(1) })))
      .execute();
    await db()
      .updateTable('history_marks')
      .set({ hour: START / HOUR + 1 })
      .where('name', 'in', ['minutes', 'hourly'])
      .execute();
    const now = START + 2 * HOUR + 10 * 60_000;
    expect(await packSampleHours(db(), { now, resultRetentionDays: 7 })).toBe(1);
    expect(await samplesMark(db())).toBe(START / HOUR + 1);
    expect(await countRows(db(), 'check_samples')).toBe(66);
    expect(await checkResults(db(), check.id, { limit: 1000 })).toEqual(before);
  });
});
