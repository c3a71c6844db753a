import { afterEach, beforeEach, expect, it } from 'vitest';
import { checkHistory } from '../domain/monitoring/check-history.js';
import { checkResults } from '../domain/monitoring/history-queries.js';
import { ingestResults, type IncomingResult } from '../domain/monitoring/ingest.js';
import { insertCheck } from '../test/checks.js';
import { countRows, insertClientWithSystem, signedInAs } from '../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { minutesMark } from '../domain/monitoring/history-queries.js';
import { rollUpMinutes } from './minute-rollups.js';
import { pruneHistory } from './retention.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const START = Date.parse('2026-11-01T00:00:00.000Z');

forEachDatabase('per-minute roll-ups, history charts and the text dictionary', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect, {
      monitoring: {
        resultRetentionDays: 7,
        minuteRollupRetentionDays: 20,
        rollupRetentionDays: 60,
        probeConcurrency: 10,
        probeEnabled: true,
      },
    });
  });
  afterEach(() => hub.close());
  const db = () => hub.ctx.db.kysely;

  /** One result a minute (two in every tenth minute) for `hours` hours from `from`; every 7th down. */
  async function minutes(checkId: string, from: number, hours: number, message = (i: number) => `200 OK ${i % 3}`) {
    const results: IncomingResult[] = [];
    for (let i = 0; i < hours * 60; i++) {
      const down = i % 7 === 6;
      const at = from + i * 60_000 + 5_000;
      const result = (t: number, n: number): IncomingResult => ({
        checkId,
        at: new Date(t).toISOString(),
        status: down ? 'down' : i % 11 === 0 ? 'degraded' : 'up',
        latencyMs: down && i % 2 ? null : 10 + ((i * 7 + n) % 40) / 10,
        message: down ? `timed out after ${i} ms` : message(i),
      });
      results.push(result(at, 0));
      if (i % 10 === 0) results.push(result(at + 20_000, 1));
    }
    for (let i = 0; i < results.length; i += 500)
      await ingestResults(hub.ctx, { type: 'hub' }, results.slice(i, i + 500));
  }

  it('rolls closed hours up into packed minutes, and charts answer the same from them as from raw results', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await minutes(check.id, START, 5);
    hub.clock.set(new Date(START + 5 * HOUR + 10 * 60_000).toISOString());
    const now = hub.clock.now();
    const before = await Promise.all(
      [1, 5, 15, 60].map((step) => checkHistory(db(), check.id, { range: '1d', step }, now)),
    );
    expect(before[0]!.points).toHaveLength(5 * 60);
    expect(before[0]!.points[0]).toMatchObject({ at: '2026-11-01T00:00:00.000Z', count: 2, failures: 0 });
    expect(before[2]!.points[0]).toMatchObject({ count: 17, failures: 2 });

    // The hours that are over (0–3; hour 4 ended 10 minutes ago, past the 5-minute grace) are packed.
    const outcome = await pruneHistory(hub.ctx);
    expect(outcome.minutesWritten).toBe(5);
    expect(await minutesMark(db())).toBe(START / HOUR + 4);
    expect(await countRows(db(), 'check_minutes')).toBe(5);
    const after = await Promise.all(
      [1, 5, 15, 60].map((step) => checkHistory(db(), check.id, { range: '1d', step }, now)),
    );
    expect(after).toEqual(before);

    // A pass killed after writing rows but before moving the mark writes the hour again: nothing counts twice.
    await db()
      .updateTable('history_marks')
      .set({ hour: START / HOUR + 1 })
      .where('name', '=', 'minutes')
      .execute();
    expect(await rollUpMinutes(db(), { now: now.getTime(), resultRetentionDays: 7 })).toBe(3);
    expect(await countRows(db(), 'check_minutes')).toBe(5);
    expect(await checkHistory(db(), check.id, { range: '1d', step: 1 }, now)).toEqual(before[0]);

    // Once the raw results are gone, 30 days by 15 minutes still come from the packed minutes.
    hub.clock.set(new Date(START + 8 * DAY).toISOString());
    await pruneHistory(hub.ctx);
    expect(await countRows(db(), 'check_samples')).toBe(0);
    const month = await checkHistory(db(), check.id, { range: '30d', step: 15 }, hub.clock.now());
    expect(month.points).toHaveLength(5 * 4);
    expect(month.points).toEqual(before[2]!.points);
    expect(month.summary).toMatchObject({ checks: 330, failures: 46 });

    // The per-minute tier goes after its own days; the hourly one stays for the year's chart.
    hub.clock.set(new Date(START + 21 * DAY).toISOString());
    expect((await pruneHistory(hub.ctx)).minutes).toBe(5);
    expect((await checkHistory(db(), check.id, { range: '30d', step: 15 }, hub.clock.now())).points).toEqual([]);
    const year = await checkHistory(db(), check.id, { range: '1y', step: 60 }, hub.clock.now());
    expect(year.points).toEqual(before[3]!.points);
  });

  it('answers GET /api/checks/:id/history, and refuses too many points naming the field', async () => {
    const { system, client } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await minutes(check.id, START, 2);
    hub.clock.set(new Date(START + 2 * HOUR).toISOString());
    const viewer = await signedInAs(hub, 'client', client.id);
    const week = await viewer.get(`/api/checks/${check.id}/history?range=7d`);
    expect(week.status).toBe(200);
    expect(week.body).toMatchObject({ range: '7d', stepMinutes: 15, summary: { checks: 132 } });
    expect(week.body.points).toHaveLength(8);
    const year = await viewer.get(`/api/checks/${check.id}/history?range=1y`);
    expect(year.body).toMatchObject({ stepMinutes: 1440, points: [{ at: '2026-11-01T00:00:00.000Z', count: 132 }] });
    const tooFine = await viewer.get(`/api/checks/${check.id}/history?range=90d&step=1`);
    expect(tooFine.status).toBe(400);
    expect(JSON.stringify(tooFine.body)).toContain('step');
    expect((await viewer.get(`/api/checks/${check.id}/history?range=2d`)).status).toBe(400);
  });

  it('deletes texts that no raw result refers to any more, and adds one again when it comes back', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await minutes(check.id, START, 2, () => 'old text');
    await minutes(check.id, START + 6 * DAY, 1, () => 'kept text');
    const texts = async () =>
      (await db().selectFrom('check_texts').select('message').orderBy('message').execute()).map((t) => t.message);
    expect(await texts()).toContain('old text');
    hub.clock.set(new Date(START + 8 * DAY).toISOString());
    const outcome = await pruneHistory(hub.ctx, { batch: 7 });
    // "old text" (as up and as degraded: two texts) and the first two hours' 17 timeout texts are gone, but
    // for the 8 that day 6 used again
    expect(outcome.texts).toBe(2 + 17 - 8);
    expect(await texts()).toContain('kept text');
    expect(await texts()).not.toContain('old text');

    // The hub remembered "old text"'s number: it must add the text again, not point at a deleted one.
    await minutes(check.id, START + 8 * DAY, 1, () => 'old text');
    const newest = await checkResults(db(), check.id, { limit: 1 });
    expect(newest[0]!.message).toBe('old text');
    expect(await texts()).toContain('old text');
  });
});
