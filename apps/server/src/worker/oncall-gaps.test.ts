import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type AppContext } from '../context.js';
import { openDatabase } from '../db/database.js';
import { EventBus } from '../events/bus.js';
import { ManualClock } from '../lib/clock.js';
import { SecretBox } from '../lib/secrets.js';
import { insertUser } from '../test/factories.js';
import { createTestDatabase, forEachDatabase, TEST_DATABASE_URL, type TestDatabase } from '../test/harness.js';
import { insertLayer, insertOverride, insertSchedule } from '../test/oncall.js';
import { OncallGapWorker } from './oncall-gaps.js';
import type { Timers } from './timers.js';

/** Timers that only record what was asked: the test runs the worker by hand. */
class RecordingTimers implements Timers {
  armed: number[] = [];
  callbacks: Array<() => void> = [];
  setTimeout(fn: () => void, ms: number) {
    this.armed.push(ms);
    this.callbacks.push(fn);
    return this.armed.length;
  }
  clearTimeout() {}
}

forEachDatabase('on-call gap worker', (dialect) => {
  let t: TestDatabase;
  let clock: ManualClock;
  const contextOf = (db: TestDatabase['db']): AppContext => ({
    db,
    clock,
    bus: new EventBus(),
    secrets: SecretBox.fromKey(randomBytes(32)),
    log: pino({ level: 'silent' }),
    settings: DEFAULT_SETTINGS,
  });
  beforeEach(async () => {
    t = await createTestDatabase(dialect);
    clock = new ManualClock('2026-11-20T17:00:00.000Z');
  });
  afterEach(async () => t.drop());

  /** Nights only (20:00–08:00 London): every day has a gap from 08:00 to 20:00. */
  async function nightsOnly() {
    const db = t.db.kysely;
    const n = await insertUser(db, 'technician');
    const schedule = await insertSchedule(db, { gap_check_at: '2026-11-20T17:00:00.000Z' });
    await insertLayer(db, schedule, [n.id], {
      restrictions_json: JSON.stringify([{ days: [0, 1, 2, 3, 4, 5, 6], from: '20:00', to: '08:00' }]),
    });
    return { schedule, n };
  }

  it('records each gap starting within a day once, alerts it, and sleeps until the next can come', async () => {
    const { schedule } = await nightsOnly();
    const alerted: string[] = [];
    const timers = new RecordingTimers();
    const ctx = contextOf(t.db);
    const worker = new OncallGapWorker(ctx, {
      timers,
      maxSleepMs: 48 * 3600_000,
      alert: async (_trx, gap) => {
        alerted.push(gap.start_at);
        return null;
      },
    });
    const first = await worker.runDue();
    // The gap under way (since 08:00 today) and tomorrow's, which starts within 24 hours.
    expect(first.map((g) => [g.start_at, g.end_at])).toEqual([
      ['2026-11-20T08:00:00.000Z', '2026-11-20T20:00:00.000Z'],
      ['2026-11-21T08:00:00.000Z', '2026-11-21T20:00:00.000Z'],
    ]);
    expect(alerted).toEqual(['2026-11-20T08:00:00.000Z', '2026-11-21T08:00:00.000Z']);
    // The next gap (Sunday 08:00) comes within a day on Saturday 08:00: due then, not before.
    expect((await worker.nextDueAt())?.toISOString()).toBe('2026-11-21T08:00:00.000Z');
    expect(await worker.runDue()).toEqual([]);

    clock.set('2026-11-21T08:00:00.000Z');
    expect((await worker.runDue()).map((g) => g.start_at)).toEqual(['2026-11-22T08:00:00.000Z']);
    expect(await worker.runDue()).toEqual([]);

    // The sleeping worker: started, it runs what is due and arms one timer for the next due time.
    worker.start();
    expect(timers.armed).toEqual([0]);
    timers.callbacks[0]!();
    await vi.waitFor(() => expect(timers.armed).toHaveLength(2));
    expect(timers.armed[1]).toBe(24 * 3600_000);
    expect(worker.nextRunAt).toBe(Date.parse('2026-11-22T08:00:00.000Z'));
    // An edit of a schedule (in any hub process: the bus carries it) wakes it at once.
    ctx.bus.publish({
      entity: 'schedule',
      id: schedule.id,
      action: 'updated',
      clientId: null,
      at: clock.now().toISOString(),
    });
    expect(timers.armed.at(-1)).toBe(0);
    expect(worker.nextRunAt).toBe(clock.now().getTime());
    await worker.stop();
    const rows = await t.db.kysely
      .selectFrom('oncall_gaps')
      .selectAll()
      .where('schedule_id', '=', schedule.id)
      .execute();
    expect(rows).toHaveLength(3);
  });

  it('raises each gap as an alert through the alerts engine', async () => {
    const { schedule } = await nightsOnly();
    const worker = new OncallGapWorker(contextOf(t.db), { timers: new RecordingTimers() });
    const found = await worker.runDue();
    expect(found).toHaveLength(2);
    const alerts = await t.db.kysely.selectFrom('alerts').select(['id', 'title']).orderBy('title').execute();
    expect(alerts.map((a) => a.title)).toEqual([
      `Nobody on call in "${schedule.name}" from Fri 20 Nov 08:00`,
      `Nobody on call in "${schedule.name}" from Sat 21 Nov 08:00`,
    ]);
    const gaps = await t.db.kysely.selectFrom('oncall_gaps').select('alert_id').execute();
    expect(gaps.map((g) => g.alert_id).sort()).toEqual(alerts.map((a) => a.id).sort());
  });

  it('finds nothing where an override covers the gap, and looks again after an edit', async () => {
    const { schedule, n } = await nightsOnly();
    await insertOverride(t.db.kysely, schedule, n.id, '2026-11-20T08:00:00.000Z', '2026-11-21T20:00:00.000Z');
    const worker = new OncallGapWorker(contextOf(t.db), { timers: new RecordingTimers() });
    expect(await worker.runDue()).toEqual([]);
    expect((await worker.nextDueAt())?.toISOString()).toBe('2026-11-21T08:00:00.000Z');
  });

  it('alerts each gap once when several hub processes run the worker at once', async () => {
    await nightsOnly();
    for (let i = 0; i < 5; i++) {
      const s = await insertSchedule(t.db.kysely, { gap_check_at: '2026-11-20T17:00:00.000Z' });
      await insertLayer(t.db.kysely, s, [(await insertUser(t.db.kysely, 'technician')).id], {
        restrictions_json: JSON.stringify([{ days: [1, 2, 3, 4, 5], from: '18:00', to: '08:00' }]),
      });
    }
    const second = dialect === 'postgres' ? openDatabase({ url: TEST_DATABASE_URL, pgSchema: t.pgSchema! }) : t.db;
    try {
      const alerted: string[] = [];
      const alert = async (_trx: unknown, gap: { schedule_id: string; start_at: string }) => {
        alerted.push(`${gap.schedule_id} ${gap.start_at}`);
        return null;
      };
      const workers = [t.db, second, t.db, second].map(
        (db) => new OncallGapWorker(contextOf(db), { timers: new RecordingTimers(), alert, batch: 2 }),
      );
      await Promise.all(workers.map((w) => w.runDue()));
      const rows = await t.db.kysely.selectFrom('oncall_gaps').select(['schedule_id', 'start_at']).execute();
      // Two each: the gap under way (Friday daytime) and the weekend's, which starts Saturday 08:00.
      expect(rows.length).toBe(2 + 5 * 2);
      expect(alerted.sort()).toEqual(rows.map((r) => `${r.schedule_id} ${r.start_at}`).sort());
    } finally {
      if (second !== t.db) await second.close();
    }
  });
});
