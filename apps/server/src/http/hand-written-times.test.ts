import { beforeEach, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../test/agent.js';
import { insertClientWithSystem } from '../test/factories.js';
import { forEachDatabase, hubPerTest, type TestHub } from '../test/harness.js';

/**
 * Times typed by hand or by a script reach the hub with any precision and any offset. Each is stored as a
 * UTC instant to the millisecond (what the hub compares against its clock, as text on SQLite), so a time
 * given to the microsecond still comes due; one that is not an ISO 8601 instant is a 400 naming the field.
 */
forEachDatabase('hand-written times', (dialect) => {
  const hubOf = hubPerTest(dialect);
  let hub: TestHub;
  let owner: TestAgent;
  let scene: Awaited<ReturnType<typeof insertClientWithSystem>>;
  beforeEach(async () => {
    hub = hubOf();
    hub.clock.set('2026-12-06T09:00:00.000Z');
    owner = await setupOwner(hub);
    scene = await insertClientWithSystem(hub.ctx.db.kysely);
  });

  it('a task due to the microsecond is stored to the millisecond and is overdue once that time has passed', async () => {
    const incident = await owner.post('/api/incidents', { clientId: scene.client.id, summary: 'Power cut' });
    expect(incident.status).toBe(201);
    const task = await owner.post(`/api/incidents/${incident.body.id}/tasks`, {
      title: 'Check the UPS',
      dueAt: '2026-12-06T11:00:00.123456+01:00',
    });
    expect(task.status).toBe(201);
    expect(task.body.dueAt).toBe('2026-12-06T10:00:00.123Z');
    const overdue = async () => (await owner.get('/api/tasks/overdue')).body.items.map((t: { id: string }) => t.id);
    hub.clock.set('2026-12-06T10:00:00.123Z');
    expect(await overdue()).toEqual([]);
    hub.clock.set('2026-12-06T10:00:00.124Z');
    expect(await overdue()).toEqual([task.body.id]);
  });

  it('a maintenance window given to the microsecond is active between its times, and over after', async () => {
    const opened = await owner.post(`/api/sites/${scene.site.id}/maintenance`, {
      kind: 'once',
      startsAt: '2026-12-06T10:00:00.000001Z',
      endsAt: '2026-12-06T12:00:00.999999Z',
      reason: 'Replacing the UPS batteries',
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ startsAt: '2026-12-06T10:00:00.000Z', endsAt: '2026-12-06T12:00:00.999Z' });
    const active = async () => (await owner.get(`/api/maintenance?siteId=${scene.site.id}&active=true`)).body.items;
    expect(await active()).toEqual([]);
    hub.clock.set('2026-12-06T11:00:00.000Z');
    expect(await active()).toHaveLength(1);
    hub.clock.set('2026-12-06T12:00:01.000Z');
    expect(await active()).toEqual([]);
  });

  it('a planned power outage is stored to the millisecond, and one not given as an ISO instant is a 400 naming the field', async () => {
    const url = `/api/sites/${scene.site.id}/power/outages`;
    const added = await owner.post(url, {
      startsAt: '2026-12-12T08:00:00.123456Z',
      endsAt: '2026-12-12T17:00:00.5+01:00',
    });
    expect(added.status).toBe(201);
    const { outages } = (await owner.get(`/api/sites/${scene.site.id}/power`)).body;
    expect(outages).toMatchObject([{ startsAt: '2026-12-12T08:00:00.123Z', endsAt: '2026-12-12T16:00:00.500Z' }]);
    for (const [field, body] of [
      ['startsAt', { startsAt: 'Saturday 8am', endsAt: '2026-12-12T16:00:00Z' }],
      ['startsAt', { startsAt: '2026-12-12 08:00', endsAt: '2026-12-12T16:00:00Z' }],
      ['endsAt', { startsAt: '2026-12-12T08:00:00Z', endsAt: 'tomorrow' }],
      ['endsAt', { startsAt: '2026-12-12T08:00:00Z', endsAt: '2026-12-12T07:00:00.999999Z' }],
    ] as const) {
      const refused = await owner.post(url, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(refused.body.error.fields), JSON.stringify(body)).toEqual([field]);
    }
  });
});
