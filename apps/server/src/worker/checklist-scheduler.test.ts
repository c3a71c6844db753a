import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../test/agent.js';
import { closedPort, openPort, tcpCheck } from '../test/checklists.js';
import { insertClientWithSystem, insertUser } from '../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { insertLayer, insertSchedule } from '../test/oncall.js';
import { createPeerHubs } from '../test/peer-hubs.js';
import { ChecklistScheduler } from './checklist-scheduler.js';

const monday = {
  name: 'Monday opening',
  body: {
    sections: [
      {
        title: 'Before 08:30',
        steps: [
          { key: 'mail', title: 'Mail server answers', kind: 'check', target: { check: 'SMTP' } },
          { key: 'lights', title: 'Reception lights on', kind: 'manual' },
        ],
      },
    ],
  },
};

async function scene(hub: TestHub, owner: TestAgent, port: number) {
  const office = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
  await hub.ctx.db.kysely
    .updateTable('sites')
    .set({ time_zone: 'Europe/London' })
    .where('id', '=', office.site.id)
    .execute();
  await tcpCheck(owner, office.system.id, 'SMTP', port);
  const template = await owner.post('/api/checklists', monday);
  const tech = await insertUser(hub.ctx.db.kysely, 'technician');
  const schedule = await owner.post('/api/checklist-schedules', {
    templateId: template.body.id,
    siteId: office.site.id,
    cron: '0 6 * * mon',
    notifyUserIds: [tech.id],
  });
  expect(schedule.status).toBe(201);
  return { office, tech, scheduleId: schedule.body.id as string };
}

const runsOf = (hub: TestHub) => hub.ctx.db.kysely.selectFrom('checklist_runs').selectAll().execute();

forEachDatabase('checklist schedules', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  let up: Awaited<ReturnType<typeof openPort>>;
  let scheduler: ChecklistScheduler;

  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
    up = await openPort();
    scheduler = new ChecklistScheduler(hub.ctx);
  });
  afterEach(async () => {
    await scheduler.stop();
    await up.close();
    await hub.close();
  });

  it('fires at 06:00 site time on both sides of the autumn and spring clock changes', async () => {
    hub.clock.set('2026-10-15T12:00:00Z');
    const { scheduleId } = await scene(hub, owner, up.port);
    // Read from the database: the owner's session does not outlive months of moving the clock.
    const nextOf = async () =>
      (
        await hub.ctx.db.kysely
          .selectFrom('checklist_schedules')
          .select('next_run_at')
          .where('id', '=', scheduleId)
          .executeTakeFirstOrThrow()
      ).next_run_at;
    // Summer time (BST, UTC+1): Monday 19 October 06:00 is 05:00 UTC.
    expect(await nextOf()).toBe('2026-10-19T05:00:00.000Z');
    hub.clock.set('2026-10-19T04:59:59Z');
    expect(await scheduler.runDue()).toEqual([]);
    hub.clock.set('2026-10-19T05:00:00Z');
    expect(await scheduler.runDue()).toHaveLength(1);
    // The clocks go back on Sunday 25 October: Monday 26 October 06:00 is 06:00 UTC.
    expect(await nextOf()).toBe('2026-10-26T06:00:00.000Z');
    hub.clock.set('2026-10-26T05:00:00Z');
    expect(await scheduler.runDue()).toEqual([]);
    hub.clock.set('2026-10-26T06:00:01Z');
    expect(await scheduler.runDue()).toHaveLength(1);
    expect(await scheduler.runDue()).toEqual([]);
    // Spring: the clocks go forward on Sunday 28 March 2027; Monday 29 March 06:00 is 05:00 UTC again.
    hub.clock.set('2027-03-22T06:00:00Z');
    expect(await scheduler.runDue()).toHaveLength(1);
    expect(await nextOf()).toBe('2027-03-29T05:00:00.000Z');
    hub.clock.set('2027-03-29T05:00:00Z');
    expect(await scheduler.runDue()).toHaveLength(1);
    await scheduler.settled();
    expect(await runsOf(hub)).toHaveLength(4);
  });

  it('runs the automatic steps by itself, tells the named people, and leaves the manual steps for a person', async () => {
    hub.clock.set('2026-11-22T12:00:00Z');
    const { tech } = await scene(hub, owner, up.port);
    hub.clock.set('2026-11-23T06:00:00Z');
    const [runId] = await scheduler.runDue();
    await scheduler.settled();
    const run = (await owner.get(`/api/checklist-runs/${runId}`)).body;
    expect(run).toMatchObject({ scheduled: true, startedBy: 'Schedule', status: 'running' });
    expect(run.steps.map((s: { status: string }) => s.status)).toEqual(['passed', 'pending']);
    const sent = await hub.ctx.db.kysely.selectFrom('outbox').selectAll().where('subject_id', '=', runId!).execute();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ user_id: tech.id, subject_type: 'checklist_run' });
    const message = JSON.parse(sent[0]!.payload_json);
    expect(message.title).toBe('Checklist "Monday opening" at Harbour Dental office: all 1 automatic steps passed');
    expect(message.lines).toEqual(['1 manual step left for a person']);
    expect(message.links.open).toMatch(new RegExp(`/checklist-runs/${runId}$`));
    expect(await hub.ctx.db.kysely.selectFrom('alerts').selectAll().execute()).toEqual([]);
  });

  it('tells whoever is on call when the schedule names an on-call schedule instead of people', async () => {
    hub.clock.set('2026-11-22T12:00:00Z');
    const office = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
    await tcpCheck(owner, office.system.id, 'SMTP', up.port);
    const template = await owner.post('/api/checklists', monday);
    const [ann, bob] = [
      await insertUser(hub.ctx.db.kysely, 'technician'),
      await insertUser(hub.ctx.db.kysely, 'technician'),
    ];
    const rota = await insertSchedule(hub.ctx.db.kysely);
    // Daily hand-off at 09:00 London: Ann from Sunday 22nd, Bob from Monday 23rd 09:00.
    await insertLayer(hub.ctx.db.kysely, rota, [ann.id, bob.id], { start_date: '2026-11-22', handoff_time: '09:00' });
    const made = await owner.post('/api/checklist-schedules', {
      templateId: template.body.id,
      siteId: office.site.id,
      cron: '0 6 * * mon',
      oncallScheduleId: rota.id,
    });
    expect(made.status).toBe(201);
    hub.clock.set('2026-11-23T06:00:00Z');
    const [runId] = await scheduler.runDue();
    await scheduler.settled();
    const sent = await hub.ctx.db.kysely
      .selectFrom('outbox')
      .select('user_id')
      .where('subject_id', '=', runId!)
      .execute();
    expect(sent.map((r) => r.user_id)).toEqual([ann.id]);
  });

  it('raises an alert when an automatic step fails, and clears it when a later run passes', async () => {
    hub.clock.set('2026-11-22T12:00:00Z');
    const down = await closedPort();
    const { scheduleId } = await scene(hub, owner, down);
    hub.clock.set('2026-11-23T06:00:00Z');
    await scheduler.runDue();
    await scheduler.settled();
    const alerts = await hub.ctx.db.kysely.selectFrom('alerts').selectAll().execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ open_key: `system:checklist:${scheduleId}`, state: 'open' });
    expect(alerts[0]!.title).toBe('Checklist "Monday opening" at Harbour Dental office: 1 of 1 automatic steps failed');

    await hub.ctx.db.kysely
      .updateTable('checks')
      .set({ params_json: JSON.stringify({ host: '127.0.0.1', port: up.port }) })
      .execute();
    hub.clock.set('2026-11-30T06:00:00Z');
    await scheduler.runDue();
    await scheduler.settled();
    const after = await hub.ctx.db.kysely.selectFrom('alerts').selectAll().execute();
    expect(after).toHaveLength(1);
    expect(after[0]!.state).toBe('resolved');
  });

  it('finishes and reports a scheduled run that a stopped hub left half done', async () => {
    hub.clock.set('2026-11-22T12:00:00Z');
    const { scheduleId } = await scene(hub, owner, up.port);
    hub.clock.set('2026-11-23T06:00:00Z');
    // A hub claims the schedule and writes the run, then dies before judging a step.
    const { startScheduledRun } = await import('../domain/checklists/scheduled.js');
    const row = await hub.ctx.db.kysely
      .selectFrom('checklist_schedules')
      .selectAll()
      .where('id', '=', scheduleId)
      .executeTakeFirstOrThrow();
    const runId = await startScheduledRun(hub.ctx, row);
    expect((await owner.get(`/api/checklist-runs/${runId}`)).body.steps[0].status).toBe('running');
    hub.clock.advance(60_000);
    expect(await scheduler.runDue()).toEqual([]);
    await scheduler.settled();
    expect((await owner.get(`/api/checklist-runs/${runId}`)).body.steps[0].status).toBe('running');
    hub.clock.advance(2 * 60_000);
    await scheduler.runDue();
    await scheduler.settled();
    expect((await owner.get(`/api/checklist-runs/${runId}`)).body.steps[0].status).toBe('passed');
    expect(
      await hub.ctx.db.kysely.selectFrom('outbox').select('id').where('subject_id', '=', runId!).execute(),
    ).toHaveLength(1);
  });

  it('refuses a bad cron expression, an empty audience, and someone who is not staff, naming the field', async () => {
    const office = await insertClientWithSystem(hub.ctx.db.kysely);
    const template = await owner.post('/api/checklists', monday);
    const base = { templateId: template.body.id, siteId: office.site.id };
    const cron = await owner.post('/api/checklist-schedules', { ...base, cron: '0 25 * * mon', notifyUserIds: [] });
    expect(cron.status).toBe(400);
    expect(Object.keys(cron.body.error.fields).sort()).toEqual(['cron', 'notifyUserIds']);
    const client = await insertUser(hub.ctx.db.kysely, 'client', office.client.id);
    const outsider = await owner.post('/api/checklist-schedules', {
      ...base,
      cron: '0 6 * * mon',
      notifyUserIds: [client.id],
    });
    expect(outsider.status).toBe(400);
    expect(outsider.body.error.fields.notifyUserIds).toMatch(/not on the staff/);
  });
});

describe('checklist schedules with two hub processes on PostgreSQL', () => {
  it('starts each due run once', async () => {
    const peers = await createPeerHubs(2);
    const up = await openPort();
    const schedulers = peers.hubs.map((h) => new ChecklistScheduler(h.ctx));
    try {
      const [a, b] = peers.hubs as [TestHub, TestHub];
      const owner = await setupOwner(a);
      for (const hub of peers.hubs) hub.clock.set('2026-11-22T12:00:00Z');
      for (let i = 0; i < 5; i++) await scene(a, owner, up.port);
      for (const monday of ['2026-11-23T06:00:00Z', '2026-11-30T06:00:00Z']) {
        for (const hub of peers.hubs) hub.clock.set(monday);
        const [first, second] = await Promise.all(schedulers.map((s) => s.runDue()));
        expect(first!.length + second!.length).toBe(5);
      }
      await Promise.all(schedulers.map((s) => s.settled()));
      const runs = await runsOf(b);
      expect(runs).toHaveLength(10);
      expect(runs.every((r) => r.reported_at !== null)).toBe(true);
      expect(
        await b.ctx.db.kysely.selectFrom('outbox').select('id').where('subject_type', '=', 'checklist_run').execute(),
      ).toHaveLength(10);
    } finally {
      for (const s of schedulers) await s.stop();
      await up.close();
      await peers.close();
    }
  });
});
