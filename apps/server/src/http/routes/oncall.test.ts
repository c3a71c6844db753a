import { afterEach, beforeEach, expect, it } from 'vitest';
import { signIn, type TestAgent } from '../../test/agent.js';
import { insertClient, insertUser, TEST_PASSWORD } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

forEachDatabase('on-call API', (dialect) => {
  let hub: TestHub;
  let admin: TestAgent;
  let tech: TestAgent;
  let ids: { admin: string; a: string; b: string; tech: string };

  beforeEach(async () => {
    hub = await createTestHub(dialect);
    const db = hub.ctx.db.kysely;
    const adminUser = await insertUser(db, 'admin', null, { name: 'Ada Admin' });
    const a = await insertUser(db, 'technician', null, { name: 'Alice' });
    const b = await insertUser(db, 'technician', null, { name: 'Bob' });
    const t = await insertUser(db, 'technician', null, { name: 'Tess' });
    ids = { admin: adminUser.id, a: a.id, b: b.id, tech: t.id };
    admin = await signIn(hub, adminUser.email, TEST_PASSWORD);
    tech = await signIn(hub, t.email, TEST_PASSWORD);
  });
  afterEach(() => hub.close());

  async function weekdaySchedule() {
    const schedule = await admin.post('/api/schedules', { name: 'Out of hours', timeZone: 'Europe/London' });
    expect(schedule.status).toBe(201);
    const layered = await admin.post(`/api/schedules/${schedule.body.id}/layers`, {
      name: 'Nights',
      participantIds: [ids.a, ids.b],
      rotation: 'daily',
      handoffTime: '09:00',
      startDate: '2026-11-02',
    });
    expect(layered.status).toBe(201);
    return layered.body;
  }

  it('shows who is on call now and next, and a technician covering changes it', async () => {
    // The clock stands at Friday 2026-11-20 17:00 UTC (17:00 in London).
    const schedule = await weekdaySchedule();
    const before = await tech.get('/api/oncall');
    expect(before.status).toBe(200);
    expect(before.body.items[0]).toMatchObject({
      schedule: { id: schedule.id, name: 'Out of hours', timeZone: 'Europe/London' },
      now: { user: { id: ids.a, name: 'Alice' }, end: '2026-11-21T09:00:00.000Z', source: 'layer' },
      next: { user: { id: ids.b, name: 'Bob' }, start: '2026-11-21T09:00:00.000Z' },
      gaps: [],
    });

    const cover = await tech.post(`/api/schedules/${schedule.id}/overrides`, {
      start: '2026-11-20T17:00:00Z',
      end: '2026-11-20T23:00:00Z',
      note: 'Alice has a dinner',
    });
    expect(cover.status).toBe(201);
    expect(cover.body).toMatchObject({ user: { id: ids.tech, name: 'Tess' }, createdBy: ids.tech });
    const after = await tech.get('/api/oncall');
    expect(after.body.items[0]).toMatchObject({
      now: { user: { id: ids.tech }, source: 'override', end: '2026-11-20T23:00:00.000Z' },
      next: { user: { id: ids.a }, start: '2026-11-20T23:00:00.000Z' },
    });
    const mine = await tech.get('/api/oncall/my-shifts');
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        start: '2026-11-20T17:00:00.000Z',
        schedule: expect.objectContaining({ id: schedule.id }),
      }),
    ]);

    // A technician covers only for themselves, and removes only their own overrides.
    const forOther = await tech.post(`/api/schedules/${schedule.id}/overrides`, {
      userId: ids.b,
      start: '2026-11-21T08:00:00Z',
      end: '2026-11-21T14:00:00Z',
    });
    expect(forOther.status).toBe(403);
    const byAdmin = await admin.post(`/api/schedules/${schedule.id}/overrides`, {
      userId: ids.b,
      start: '2026-11-21T08:00:00Z',
      end: '2026-11-21T14:00:00Z',
    });
    expect(byAdmin.status).toBe(201);
    expect((await tech.delete(`/api/schedule-overrides/${byAdmin.body.id}`)).status).toBe(403);
    expect((await tech.delete(`/api/schedule-overrides/${cover.body.id}`)).status).toBe(200);
    expect((await tech.get('/api/oncall')).body.items[0].now.user.id).toBe(ids.a);

    const audit = await hub.ctx.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('entity_type', '=', 'schedule')
      .orderBy('at')
      .execute();
    expect(audit.map((r) => r.action).sort()).toEqual([
      'schedule.create',
      'schedule.layer.create',
      'schedule.override.create',
      'schedule.override.create',
      'schedule.override.delete',
    ]);
  });

  it('lays a weekend layer over the weekday one and shows four weeks with gaps', async () => {
    const schedule = await weekdaySchedule();
    // Only Friday 18:00 to Monday 08:00 is covered by the weekend layer; the weekday layer goes.
    const weekend = await admin.post(`/api/schedules/${schedule.id}/layers`, {
      name: 'Weekend',
      participantIds: [ids.b],
      rotation: 'weekly',
      handoffTime: '18:00',
      startDate: '2026-11-06',
      restrictions: [
        { days: [5], from: '18:00', to: '00:00' },
        { days: [6, 0], from: '00:00', to: '00:00' },
        { days: [1], from: '00:00', to: '08:00' },
      ],
    });
    expect(weekend.status).toBe(201);
    expect(weekend.body.layers.map((l: { name: string; position: number }) => [l.name, l.position])).toEqual([
      ['Nights', 0],
      ['Weekend', 1],
    ]);
    const weekday = weekend.body.layers[0];
    expect(
      (
        await admin.patch(`/api/schedule-layers/${weekday.id}`, {
          restrictions: [{ days: [1, 2, 3, 4, 5], from: '18:00', to: '08:00' }],
        })
      ).status,
    ).toBe(200);

    const calendar = await tech.get(`/api/schedules/${schedule.id}/calendar?from=2026-11-20&days=28`);
    expect(calendar.status).toBe(200);
    expect(calendar.body.days).toHaveLength(28);
    const friday = calendar.body.days[0];
    expect(friday.date).toBe('2026-11-20');
    expect(
      friday.shifts.map((s: { start: string; user: { name: string } | null }) => [s.start, s.user?.name ?? null]),
    ).toEqual([
      ['2026-11-20T00:00:00.000Z', 'Bob'], // Thursday night's shift until 08:00 (Nov 19 is day 17: B)
      ['2026-11-20T08:00:00.000Z', null],
      ['2026-11-20T18:00:00.000Z', 'Bob'],
    ]);
    expect(friday.hasGap).toBe(true);
    const saturday = calendar.body.days[1];
    expect(saturday.hasGap).toBe(false);
    expect(calendar.body.gaps[0]).toMatchObject({ start: '2026-11-20T08:00:00.000Z', end: '2026-11-20T18:00:00.000Z' });

    const now = await tech.get('/api/oncall');
    expect(now.body.items[0].now).toMatchObject({ user: null, source: 'gap', end: '2026-11-20T18:00:00.000Z' });
    expect(now.body.items[0].gaps.length).toBeGreaterThan(3);
  });

  it('keeps teams with members in order', async () => {
    const made = await admin.post('/api/teams', { name: 'Field', memberIds: [ids.b, ids.a] });
    expect(made.status).toBe(201);
    expect(made.body.members.map((m: { name: string }) => m.name)).toEqual(['Bob', 'Alice']);
    const changed = await admin.patch(`/api/teams/${made.body.id}`, { memberIds: [ids.a] });
    expect(changed.body.members).toEqual([{ id: ids.a, name: 'Alice' }]);
    expect((await tech.get('/api/teams')).body.items).toHaveLength(1);
    expect((await admin.post('/api/teams', { name: 'field' })).status).toBe(409);
    expect((await admin.delete(`/api/teams/${made.body.id}`)).status).toBe(200);
    expect((await tech.get(`/api/teams/${made.body.id}`)).status).toBe(404);
  });

  it('answers 400 naming the field for bad input', async () => {
    const schedule = await weekdaySchedule();
    const client = await insertClient(hub.ctx.db.kysely);
    const clientUser = await insertUser(hub.ctx.db.kysely, 'client', client.id);
    const cases: Array<[string, string, unknown, string]> = [
      ['/api/schedules', 'POST', { name: 'X', timeZone: 'Mars/Olympus' }, 'timeZone'],
      [
        `/api/schedules/${schedule.id}/layers`,
        'POST',
        { name: 'L', participantIds: [ids.a], rotation: 'daily', handoffTime: '25:00', startDate: '2026-11-02' },
        'handoffTime',
      ],
      [
        `/api/schedules/${schedule.id}/layers`,
        'POST',
        { name: 'L', participantIds: [ids.a], rotation: 'daily', handoffTime: '09:00', startDate: '2026-02-30' },
        'startDate',
      ],
      [
        `/api/schedules/${schedule.id}/layers`,
        'POST',
        {
          name: 'L',
          participantIds: [ids.a, clientUser.id],
          rotation: 'daily',
          handoffTime: '09:00',
          startDate: '2026-11-02',
        },
        'participantIds.1',
      ],
      [
        `/api/schedules/${schedule.id}/layers`,
        'POST',
        {
          name: 'L',
          participantIds: [ids.a],
          rotation: 'daily',
          handoffTime: '09:00',
          startDate: '2026-11-02',
          restrictions: [{ days: [7], from: '09:00', to: '17:00' }],
        },
        'restrictions.0.days.0',
      ],
      [
        `/api/schedules/${schedule.id}/overrides`,
        'POST',
        { start: '2026-11-21T10:00:00Z', end: '2026-11-21T09:00:00Z' },
        'end',
      ],
      [`/api/schedules/${schedule.id}/overrides`, 'POST', { start: 'tomorrow', end: '2026-11-21T09:00:00Z' }, 'start'],
      [`/api/schedules/${schedule.id}/calendar?days=500`, 'GET', undefined, 'days'],
      ['/api/teams', 'POST', { name: 'T', memberIds: [MISSING] }, 'memberIds.0'],
    ];
    for (const [url, method, body, field] of cases) {
      const reply = await admin.send(method, url, body);
      expect(reply.status, `${method} ${url} ${field}`).toBe(400);
      expect(Object.keys(reply.body.error.fields ?? {}), `${method} ${url}`).toContain(field);
    }
  });

  it('lets only owners and admins edit, and shows client users nothing', async () => {
    const schedule = await weekdaySchedule();
    expect((await tech.get('/api/schedules')).status).toBe(200);
    expect((await tech.post('/api/schedules', { name: 'Mine', timeZone: 'UTC' })).status).toBe(403);
    expect((await tech.patch(`/api/schedules/${schedule.id}`, { name: 'Renamed' })).status).toBe(403);
    expect((await tech.delete(`/api/schedule-layers/${schedule.layers[0].id}`)).status).toBe(403);
    expect((await tech.post('/api/teams', { name: 'T' })).status).toBe(403);
    expect((await tech.post(`/api/schedules/${schedule.id}/ical`)).status).toBe(403);

    const client = await insertClient(hub.ctx.db.kysely);
    const clientUser = await insertUser(hub.ctx.db.kysely, 'client', client.id);
    const customer = await signIn(hub, clientUser.email, TEST_PASSWORD);
    for (const url of ['/api/oncall', '/api/schedules', `/api/schedules/${schedule.id}/calendar`, '/api/teams'])
      expect((await customer.get(url)).status, url).toBe(403);
    expect(
      (
        await customer.post(`/api/schedules/${schedule.id}/overrides`, {
          start: '2026-11-21T08:00:00Z',
          end: '2026-11-21T09:00:00Z',
        })
      ).status,
    ).toBe(403);
  });
});
