import { afterEach, beforeEach, expect, it } from 'vitest';
import { beatHub, hubHeartbeats, watchHubHeartbeats } from '../domain/hub-health/heartbeats.js';
import { insertClient, signedInAs } from '../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { startAlertWorkers } from './alert-workers.js';

const T = (minute: number) => new Date(Date.UTC(2026, 10, 20, 3, minute)).toISOString();

forEachDatabase("the hub's own heartbeats", (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
  });
  afterEach(async () => {
    await hub.close();
  });
  const db = () => hub.ctx.db.kysely;
  const hubAlerts = () =>
    db().selectFrom('alerts').selectAll().where('key', '=', 'system:hub-heartbeat:escalation-engine').execute();

  it('the escalation engine beats after each pass it completes', async () => {
    hub.clock.set(T(0));
    const workers = startAlertWorkers(hub.ctx);
    try {
      // The engine's first pass runs at start; wait for its beat (no timing is asserted).
      for (let i = 0; i < 200; i++) {
        if (await db().selectFrom('hub_heartbeats').select('name').executeTakeFirst()) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await workers.stop();
    }
    const [engine] = await hubHeartbeats(hub.ctx, new Date(T(1)));
    expect(engine).toMatchObject({ name: 'escalation-engine', lastBeatAt: T(0), state: 'ok', lateAt: T(2) });
    expect(engine!.process).toContain(`pid ${process.pid}`);
  });

  it('a stuck engine raises one hub alert, with no client; it resolves when the engine runs again', async () => {
    expect((await hubHeartbeats(hub.ctx, new Date(T(0))))[0]).toMatchObject({ state: 'never', lastBeatAt: null });
    await beatHub(db(), 'escalation-engine', T(0), 'hub-a pid 1');
    hub.clock.set(T(1));
    expect(await watchHubHeartbeats(hub.ctx)).toBe(Date.parse(T(2)));
    expect(await hubAlerts()).toEqual([]);
    hub.clock.set(T(3));
    expect(await watchHubHeartbeats(hub.ctx)).toBeNull();
    hub.clock.set(T(4));
    await watchHubHeartbeats(hub.ctx);
    const [stuck, ...more] = await hubAlerts();
    expect(more).toEqual([]);
    expect(stuck).toMatchObject({
      kind: 'system',
      state: 'open',
      criticality: 'critical',
      client_id: null,
      title: 'Escalation engine stuck: no pass since 03:00 UTC',
    });
    expect(stuck!.reason).toContain('hub-a pid 1');
    await beatHub(db(), 'escalation-engine', T(5), 'hub-b pid 2');
    hub.clock.set(T(5));
    await watchHubHeartbeats(hub.ctx);
    expect(await hubAlerts()).toMatchObject([{ state: 'resolved', resolution: 'recovered' }]);
  });

  it('staff see the hub heartbeats; client accounts do not', async () => {
    await beatHub(db(), 'escalation-engine', T(0));
    hub.clock.set(T(5));
    const tech = await signedInAs(hub, 'technician');
    const seen = await tech.get('/api/hub/heartbeats');
    expect(seen.status).toBe(200);
    expect(seen.body.items).toMatchObject([{ name: 'escalation-engine', label: 'Escalation engine', state: 'late' }]);
    const client = await insertClient(db());
    const outsider = await signedInAs(hub, 'client', client.id);
    expect((await outsider.get('/api/hub/heartbeats')).status).toBe(403);
  });
});
