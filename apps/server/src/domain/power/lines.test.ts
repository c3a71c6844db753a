import type { PowerReadingWire } from '@afterhours/shared';
import { beforeEach, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import { insertAgent } from '../../test/checks.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { AlertWorker } from '../../worker/alert-worker.js';
import { recordPowerLog, recordPowerState } from './ingest.js';

const T = (second: number) => new Date(Date.UTC(2026, 11, 5, 17, 0, second)).toISOString();
const reading = (power: 'online' | 'on-battery', lowBattery: boolean, runtimeSeconds: number): PowerReadingWire => ({
  state: 'ok',
  power,
  lowBattery,
  forcedShutdown: false,
  chargePercent: 80,
  runtimeSeconds,
  loadPercent: 20,
  flags: [],
  message: `office: ${power === 'online' ? 'on line' : 'on battery'}${lowBattery ? ', battery low' : ''}, runtime ${Math.floor(runtimeSeconds / 60)} min`,
});

forEachDatabase('power on alerts and incidents', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
    return () => hub.close();
  });

  it('alerts in power words; power events and plan steps go on the open incident and the power alert', async () => {
    const db = hub.ctx.db.kysely;
    const { site, system } = await insertClientWithSystem(db, 'Harbour Dental');
    const agent = await insertAgent(db, site);
    const worker = new AlertWorker(hub.ctx);
    const power = async (second: number, r: PowerReadingWire) => {
      hub.clock.set(T(second));
      await recordPowerState(hub.ctx, agent, { type: 'power', at: T(second), readings: [{ upsId: 'u1', reading: r }] });
      await worker.drain();
    };
    await power(0, reading('online', false, 1500));
    const incident = await owner.post('/api/incidents', {
      clientId: site.client_id,
      siteIds: [site.id],
      summary: 'Power company digging up the street',
      acknowledge: true,
    });
    expect(incident.status).toBe(201);

    await power(10, reading('on-battery', false, 1380));
    const alerts = () => db.selectFrom('alerts').selectAll().where('kind', '=', 'power').execute();
    expect(await alerts()).toMatchObject([
      { title: `UPS on battery at ${site.name} — 23 min runtime left`, state: 'open', subject_state: 'on-battery' },
    ]);
    await power(20, reading('on-battery', true, 240));
    expect(await alerts()).toMatchObject([{ state: 'open', subject_state: 'low-battery' }]);

    const run = 'run-1';
    await recordPowerLog(hub.ctx, agent, {
      type: 'power-log',
      seq: 1,
      entries: [
        {
          at: T(21),
          runId: run,
          kind: 'started',
          level: 'info',
          message: 'shutdown plan started',
          trigger: 'trigger: low battery',
        },
        {
          at: T(22),
          runId: run,
          kind: 'command',
          level: 'info',
          message: 'ssh root@10.0.0.5:22: "sudo shutdown -h now" sent (exit 0)',
          systemId: system.id,
        },
        {
          at: T(22),
          runId: run,
          kind: 'maintenance-on',
          level: 'info',
          message: 'maintenance-on',
          systemId: system.id,
        },
        {
          at: T(30),
          runId: run,
          kind: 'phase',
          level: 'info',
          message: 'run is waiting-for-power',
          phase: 'waiting-for-power',
        },
      ],
    });
    // A resent batch adds nothing.
    await recordPowerLog(hub.ctx, agent, {
      type: 'power-log',
      seq: 1,
      entries: [{ at: T(21), runId: run, kind: 'started', level: 'info', message: 'shutdown plan started' }],
    });

    const lines = await db
      .selectFrom('incident_timeline')
      .select(['text', 'kind'])
      .where('incident_id', '=', incident.body.id)
      .where('kind', '=', 'power')
      .orderBy('seq')
      .execute();
    expect(lines.map((l) => l.text)).toEqual([
      'UPS on battery: office: on battery, runtime 23 min',
      'UPS battery low: office: on battery, battery low, runtime 4 min',
      'Shutdown plan started (trigger: low battery)',
      `${system.name}: ssh root@10.0.0.5:22: "sudo shutdown -h now" sent (exit 0)`,
      'Shutdown done: waiting for power to be back and stable',
    ]);
    const [alert] = await alerts();
    const alertLines = await db
      .selectFrom('alert_events')
      .select('summary')
      .where('alert_id', '=', alert!.id)
      .where('kind', '=', 'power')
      .orderBy('seq')
      .execute();
    expect(alertLines.map((l) => l.summary)).toEqual(lines.slice(2).map((l) => l.text));

    // Power back and stable (the hub's default 5 min): the alert resolves as recovered.
    await power(40, reading('online', false, 240));
    expect((await alerts())[0]?.state).toBe('open');
    await power(40 + 5 * 60, reading('online', false, 300));
    expect(await alerts()).toMatchObject([{ state: 'resolved', resolution: 'recovered' }]);
  });
});
