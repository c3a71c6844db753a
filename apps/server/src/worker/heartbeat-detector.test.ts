import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { heartbeatScene, http, listen } from '../test/heartbeats.js';
import { HeartbeatDetector } from './heartbeat-detector.js';

forEachDatabase('heartbeat detection (late and down by time)', (dialect) => {
  let hub: TestHub;
  let base: string;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    base = await listen(hub);
  });
  afterEach(() => hub.close());

  const db = () => hub.ctx.db.kysely;
  const row = (id: string) => db().selectFrom('heartbeats').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const changes = async (id: string) =>
    (await db().selectFrom('state_changes').selectAll().where('heartbeat_id', '=', id).orderBy('at').execute()).map(
      (c) => `${c.at} ${c.from_state}→${c.to_state}`,
    );

  /** Moves the clock to `at` and lets the detector look, as its timer would. */
  async function at(detector: HeartbeatDetector, iso: string): Promise<void> {
    hub.clock.set(iso);
    await detector.sweep();
  }

  it('turns a period heartbeat late at its deadline and down after the grace time, exactly', async () => {
    const { heartbeat } = await heartbeatScene(hub, { schedule: { kind: 'period', periodS: 3600, graceS: 600 } });
    const detector = new HeartbeatDetector(hub.ctx);
    await http(`${base}/ping/${heartbeat.id}`); // 17:00
    expect((await row(heartbeat.id)).next_due_at).toBe('2026-11-20T18:00:00.000Z');
    await at(detector, '2026-11-20T17:59:59.999Z');
    expect((await row(heartbeat.id)).status).toBe('up');
    await at(detector, '2026-11-20T18:00:00.000Z');
    expect((await row(heartbeat.id)).status).toBe('late');
    await at(detector, '2026-11-20T18:09:59.000Z');
    expect((await row(heartbeat.id)).status).toBe('late');
    await at(detector, '2026-11-20T18:10:00.500Z');
    const down = await row(heartbeat.id);
    expect([down.status, down.next_due_at]).toEqual(['down', null]);
    expect(await changes(heartbeat.id)).toEqual([
      '2026-11-20T17:00:00.000Z new→up',
      '2026-11-20T18:00:00.000Z up→late',
      '2026-11-20T18:10:00.000Z late→down',
    ]);
    const last = await db()
      .selectFrom('state_changes')
      .selectAll()
      .where('heartbeat_id', '=', heartbeat.id)
      .where('to_state', '=', 'down')
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({
      subject_type: 'heartbeat',
      recorded_at: '2026-11-20T18:10:00.500Z',
      source: 'hub',
      processed_at: null,
    });
    expect(last.reason).toMatch(/no ping since 2026-11-20 17:00 UTC; expected by 2026-11-20 18:00 UTC/);
  });

  it('follows a cron schedule in the site’s time zone across the clocks going forward', async () => {
    hub.clock.set('2026-03-27T02:10:00Z');
    const { heartbeat, site } = await heartbeatScene(hub, {
      schedule: { kind: 'cron', cron: '0 2 * * *', graceS: 3600 },
    });
    expect(site.time_zone).toBe('Europe/London');
    const detector = new HeartbeatDetector(hub.ctx);
    await http(`${base}/ping/${heartbeat.id}`); // Friday 02:10 GMT
    expect((await row(heartbeat.id)).expected_at).toBe('2026-03-28T02:00:00.000Z');
    await at(detector, '2026-03-28T02:30:00Z');
    await http(`${base}/ping/${heartbeat.id}`); // Saturday, late but within grace
    // Sunday 29 March: 02:00 BST is 01:00 UTC.
    expect((await row(heartbeat.id)).expected_at).toBe('2026-03-29T01:00:00.000Z');
    await at(detector, '2026-03-29T00:59:59Z');
    expect((await row(heartbeat.id)).status).toBe('up');
    await at(detector, '2026-03-29T01:00:00Z');
    expect((await row(heartbeat.id)).status).toBe('late');
    await at(detector, '2026-03-29T02:00:00Z');
    expect((await row(heartbeat.id)).status).toBe('down');
    expect(await changes(heartbeat.id)).toEqual([
      '2026-03-27T02:10:00.000Z new→up',
      '2026-03-28T02:00:00.000Z up→late',
      '2026-03-28T02:30:00.000Z late→up',
      '2026-03-29T01:00:00.000Z up→late',
      '2026-03-29T02:00:00.000Z late→down',
    ]);
  });

  it('a start with no finish within the grace time is down', async () => {
    const { heartbeat } = await heartbeatScene(hub, { schedule: { kind: 'period', periodS: 86_400, graceS: 900 } });
    const detector = new HeartbeatDetector(hub.ctx);
    await http(`${base}/ping/${heartbeat.id}/start`);
    expect((await row(heartbeat.id)).next_due_at).toBe('2026-11-20T17:15:00.000Z');
    await at(detector, '2026-11-20T17:14:59Z');
    expect((await row(heartbeat.id)).status).toBe('new');
    await at(detector, '2026-11-20T17:15:00Z');
    expect((await row(heartbeat.id)).status).toBe('down');
    expect((await row(heartbeat.id)).status_reason).toMatch(/did not finish within the grace time/);
  });

  it('finds due heartbeats among 10,000 through the index, and two detectors record each deadline once', async () => {
    const { heartbeat, system } = await heartbeatScene(hub, { schedule: { kind: 'period', periodS: 60, graceS: 60 } });
    const template = await row(heartbeat.id);
    const many = Array.from({ length: 9_999 }, (_, i) => ({
      ...template,
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      slug: null,
      name: `job ${i}`,
      system_id: system.id,
      status: 'up',
      last_ping_at: '2026-11-20T17:00:00.000Z',
      next_due_at: i % 100 === 0 ? '2026-11-20T17:01:00.000Z' : '2026-11-21T17:00:00.000Z',
    }));
    for (let i = 0; i < many.length; i += 500)
      await db()
        .insertInto('heartbeats')
        .values(many.slice(i, i + 500))
        .execute();
    hub.clock.set('2026-11-20T17:01:00Z');
    const [a, b] = [new HeartbeatDetector(hub.ctx, { batch: 20 }), new HeartbeatDetector(hub.ctx, { batch: 20 })];
    const [na, nb] = await Promise.all([a.sweep(), b.sweep()]);
    expect(na + nb).toBe(100);
    const late = await db()
      .selectFrom('state_changes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('to_state', '=', 'late')
      .executeTakeFirstOrThrow();
    expect(Number(late.n)).toBe(100);
    expect(await a.sweep()).toBe(0);
  });
});
