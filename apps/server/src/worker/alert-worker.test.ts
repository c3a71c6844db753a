import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestResults, type IncomingResult } from '../domain/monitoring/ingest.js';
import { markSiteReachable, markSiteUnreachable } from '../domain/monitoring/reachability.js';
import { openMaintenance } from '../domain/maintenance/windows.js';
import { raiseSystemAlert } from '../domain/alerts/raise.js';
import { insertAgent, insertCheck } from '../test/checks.js';
import {
  countRows,
  insertClient,
  insertClientWithSystem,
  insertDependency,
  insertSite,
  insertSystem,
  insertUser,
} from '../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { AlertWorker } from './alert-worker.js';
import { EscalationWorker } from './escalation-worker.js';

const T = (minute: number) => new Date(Date.UTC(2026, 10, 20, 17, minute)).toISOString();
const result = (checkId: string, at: string, status: 'up' | 'down'): IncomingResult => ({
  checkId,
  at,
  status,
  latencyMs: status === 'up' ? 5 : null,
  message: status === 'up' ? 'ok' : 'connection refused',
});

forEachDatabase('alert worker', (dialect) => {
  let hub: TestHub;
  let worker: AlertWorker;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    worker = new AlertWorker(hub.ctx);
  });
  afterEach(async () => {
    await hub.close();
  });
  const db = () => hub.ctx.db.kysely;
  const alerts = () => db().selectFrom('alerts').selectAll().orderBy('opened_at').execute();
  const at = async (minute: number, checkId: string, status: 'up' | 'down') => {
    hub.clock.set(T(minute));
    await ingestResults(hub.ctx, { type: 'hub' }, [result(checkId, T(minute), status)]);
    await worker.drain();
  };

  it('a check going down opens one alert that pages; its recovery resolves it and marks every change processed', async () => {
    await insertUser(db(), 'owner');
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await at(1, check.id, 'up');
    expect(await alerts()).toEqual([]);
    await at(2, check.id, 'down');
    const [open] = await alerts();
    expect(open).toMatchObject({ state: 'open', subject_state: 'down', pages: 1, kind: 'check' });
    expect(open!.title).toContain(check.name);
    const escalation = await db().selectFrom('escalations').selectAll().executeTakeFirstOrThrow();
    expect(escalation).toMatchObject({ subject_id: open!.id, state: 'active', due_at: T(2) });
    await at(3, check.id, 'up');
    const [resolved] = await alerts();
    expect(resolved).toMatchObject({ state: 'resolved', resolution: 'recovered', open_key: null });
    expect((await db().selectFrom('escalations').select('state').executeTakeFirstOrThrow()).state).toBe('resolved');
    const unprocessed = await db().selectFrom('state_changes').select('id').where('processed_at', 'is', null).execute();
    expect(unprocessed).toEqual([]);
    const kinds = (await db().selectFrom('alert_events').select('kind').orderBy('seq').execute()).map((e) => e.kind);
    expect(kinds).toEqual(['opened', 'recovered']);
  });

  it('a site whose agent goes silent is one alert listing the checks it made unknown', async () => {
    const client = await insertClient(db());
    const site = await insertSite(db(), client);
    const system = await insertSystem(db(), site);
    const agent = await insertAgent(db(), site);
    const checks = [];
    for (let i = 0; i < 3; i++) checks.push(await insertCheck(db(), system, { probe: 'agent', agent_id: agent.id }));
    hub.clock.set(T(1));
    await ingestResults(
      hub.ctx,
      { type: 'agent', agentId: agent.id },
      checks.map((c) => result(c.id, T(1), 'up')),
    );
    hub.clock.set(T(5));
    await markSiteUnreachable(hub.ctx, site.id, agent.id, T(5));
    await worker.drain();
    const list = await alerts();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'site', state: 'open', subject_state: 'unreachable' });
    expect(
      JSON.parse(list[0]!.affected_json)
        .map((a: { checkId: string }) => a.checkId)
        .sort(),
    ).toEqual(checks.map((c) => c.id).sort());
    hub.clock.set(T(9));
    await markSiteReachable(hub.ctx, site.id, agent.id, T(9));
    await worker.drain();
    expect((await alerts())[0]).toMatchObject({ state: 'resolved', resolution: 'recovered' });
  });

  it('a down server with dependants is one alert; the dependants are listed under it', async () => {
    const { site, system: host } = await insertClientWithSystem(db());
    const hostCheck = await insertCheck(db(), host);
    const deps = [];
    for (let i = 0; i < 3; i++) {
      const vm = await insertSystem(db(), site);
      await insertDependency(db(), vm, host);
      deps.push(await insertCheck(db(), vm));
    }
    hub.clock.set(T(1));
    await ingestResults(
      hub.ctx,
      { type: 'hub' },
      [hostCheck, ...deps].map((c) => result(c.id, T(1), 'up')),
    );
    await at(2, hostCheck.id, 'down');
    const list = await alerts();
    expect(list).toHaveLength(1);
    expect(JSON.parse(list[0]!.affected_json)).toHaveLength(3);
  });

  it('a server with several failing checks is one alert listing them; it resolves when the last is well', async () => {
    const { system } = await insertClientWithSystem(db(), 'FS01');
    const [rdp, smb, ping] = [
      await insertCheck(db(), system, { name: 'rdp' }),
      await insertCheck(db(), system, { name: 'smb' }),
      await insertCheck(db(), system, { name: 'ping' }),
    ];
    hub.clock.set(T(0));
    await ingestResults(
      hub.ctx,
      { type: 'hub' },
      [rdp, smb, ping].map((c) => result(c.id, T(0), 'up')),
    );
    await at(1, rdp.id, 'down');
    await at(2, smb.id, 'down');
    await at(3, ping.id, 'down');
    let list = await alerts();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'check', state: 'open', pages: 1, title: 'FS01 server: 3 checks down' });
    const failing = () => JSON.parse(list[0]!.failing_json).map((f: { name: string }) => f.name);
    expect(failing()).toEqual(['rdp', 'smb', 'ping']);
    expect(await countRows(db(), 'escalations')).toBe(1);
    await at(4, rdp.id, 'up');
    await at(5, smb.id, 'up');
    list = await alerts();
    expect(list[0]).toMatchObject({ state: 'open', title: 'FS01 server: ping down' });
    expect(failing()).toEqual(['ping']);
    await at(6, ping.id, 'up');
    list = await alerts();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ state: 'resolved', resolution: 'recovered' });
    const kinds = (await db().selectFrom('alert_events').select('kind').orderBy('seq').execute()).map((e) => e.kind);
    expect(kinds).toEqual(['opened', 'changed', 'changed', 'changed', 'changed', 'recovered']);
  });

  it('two servers down are two alerts', async () => {
    const { site, system: a } = await insertClientWithSystem(db());
    const b = await insertSystem(db(), site);
    const [checkA, checkB] = [await insertCheck(db(), a), await insertCheck(db(), b)];
    await at(0, checkA.id, 'down');
    await at(1, checkB.id, 'down');
    expect((await alerts()).map((x) => x.system_id)).toEqual([a.id, b.id]);
  });

  it('a check that flaps becomes one flapping alert, not a stream', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await at(0, check.id, 'up');
    for (let m = 1; m <= 8; m++) await at(m, check.id, m % 2 ? 'down' : 'up');
    const list = await alerts();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ flapping: 1, state: 'open' });
    // Settles once it has been up for the whole window (30 minutes by default).
    hub.clock.set(T(8 + 31));
    await worker.drain();
    expect((await alerts())[0]).toMatchObject({ state: 'resolved', resolution: 'recovered' });
  });

  it('maintenance silences: the alert is recorded "in maintenance" and pages nobody', async () => {
    const { site, system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await at(0, check.id, 'up');
    await openMaintenance(db(), { siteId: site.id, reason: 'UPS battery swap', source: 'person', now: T(0) });
    await at(1, check.id, 'down');
    const [alert] = await alerts();
    expect(alert).toMatchObject({ pages: 0, state: 'open' });
    expect(alert!.maintenance_id).not.toBeNull();
    expect(alert!.page_reason).toContain('UPS battery swap');
    expect(await countRows(db(), 'escalations')).toBe(0);
  });

  it('outside support hours a normal system is listed for the morning; a critical one pages', async () => {
    const contract = {
      supportHours: { kind: 'weekly', timeZone: 'UTC', windows: [{ day: 'mon', start: '08:00', end: '18:00' }] },
      responseTargetMinutes: 60,
    };
    const client = await insertClient(db(), { contract_json: JSON.stringify(contract) });
    const site = await insertSite(db(), client);
    const normal = await insertCheck(db(), await insertSystem(db(), site, { criticality: 'normal' }));
    const critical = await insertCheck(db(), await insertSystem(db(), site, { criticality: 'critical' }));
    hub.clock.set(T(0)); // a Friday, 17:00 UTC: outside Monday's hours
    await ingestResults(hub.ctx, { type: 'hub' }, [result(normal.id, T(0), 'down'), result(critical.id, T(0), 'down')]);
    await worker.drain();
    const list = await alerts();
    const byCheck = new Map(list.map((a) => [a.check_id, a]));
    expect(byCheck.get(normal.id)).toMatchObject({ pages: 0 });
    expect(byCheck.get(normal.id)!.page_reason).toContain('listed for the morning');
    expect(byCheck.get(critical.id)).toMatchObject({ pages: 1 });
  });

  it('a system alert is raised once per key', async () => {
    await db()
      .transaction()
      .execute(async (trx) => {
        const a = await raiseSystemAlert(trx, {
          kind: 'oncall-gap',
          title: 'Nobody on call Saturday',
          dedupeKey: 's1',
          now: T(0),
        });
        const b = await raiseSystemAlert(trx, {
          kind: 'oncall-gap',
          title: 'Nobody on call Saturday',
          dedupeKey: 's1',
          now: T(1),
        });
        expect(a.created).toBe(true);
        expect(b).toMatchObject({ created: false, alert: { id: a.alert.id } });
      });
    expect(await countRows(db(), 'alerts')).toBe(1);
  });

  describe('with the escalation worker', () => {
    it('runs every step, then the repeat, while nobody acknowledges; each step once', async () => {
      const [a, b] = [await insertUser(db(), 'technician'), await insertUser(db(), 'technician')];
      const escalations = new EscalationWorker(hub.ctx);
      const { createPolicy } = await import('../domain/escalation/policies.js');
      const { systemActor } = await import('../domain/auth/actor.js');
      await createPolicy(hub.ctx, systemActor(), {
        name: 'Night',
        isDefault: true,
        repeat: 1,
        steps: [
          { targets: [{ type: 'user', id: a.id }], waitMinutes: 5 },
          { targets: [{ type: 'user', id: b.id }], waitMinutes: 10 },
        ],
      });
      const { system } = await insertClientWithSystem(db());
      const check = await insertCheck(db(), system);
      await at(0, check.id, 'up');
      await at(1, check.id, 'down');
      const pagedRounds = async () =>
        (
          await db()
            .selectFrom('alert_events')
            .select(['kind', 'data_json'])
            .where('kind', '=', 'paged')
            .orderBy('seq')
            .execute()
        ).map((e) => JSON.parse(e.data_json!) as { round: string; users: string[] });
      expect(await escalations.runDue()).toBe(1);
      expect(await escalations.runDue()).toBe(0);
      hub.clock.set(T(5)); // not yet: step 2 is due at 1 + 5
      expect(await escalations.runDue()).toBe(0);
      hub.clock.set(T(6));
      expect(await escalations.runDue()).toBe(1);
      hub.clock.set(T(16));
      expect(await escalations.runDue()).toBe(1);
      hub.clock.set(T(21));
      expect(await escalations.runDue()).toBe(1);
      hub.clock.set(T(30)); // the last step's wait (10 minutes) is not over yet
      expect(await escalations.runDue()).toBe(0);
      hub.clock.set(T(31));
      expect(await escalations.runDue()).toBe(1);
      hub.clock.set(T(120));
      expect(await escalations.runDue()).toBe(0);
      expect(await pagedRounds()).toEqual([
        { round: '1.0.0', users: [a.id], gaps: [] },
        { round: '1.0.1', users: [b.id], gaps: [] },
        { round: '1.1.0', users: [a.id], gaps: [] },
        { round: '1.1.1', users: [b.id], gaps: [] },
      ]);
      expect((await db().selectFrom('escalations').select('state').executeTakeFirstOrThrow()).state).toBe('exhausted');
    });

    it('an acknowledgement stops the escalation and records who', async () => {
      const tech = await insertUser(db(), 'technician');
      const other = await insertUser(db(), 'technician');
      const { createPolicy } = await import('../domain/escalation/policies.js');
      const { systemActor } = await import('../domain/auth/actor.js');
      await createPolicy(hub.ctx, systemActor(), {
        name: 'Night',
        isDefault: true,
        repeat: 0,
        steps: [
          { targets: [{ type: 'user', id: tech.id }], waitMinutes: 5 },
          { targets: [{ type: 'user', id: other.id }], waitMinutes: 5 },
        ],
      });
      const escalations = new EscalationWorker(hub.ctx);
      const { system } = await insertClientWithSystem(db());
      const check = await insertCheck(db(), system);
      await at(0, check.id, 'up');
      await at(1, check.id, 'down');
      await escalations.runDue();
      const { acknowledgeSubject } = await import('../domain/alerts/lifecycle.js');
      const [alert] = await alerts();
      hub.clock.set(T(3));
      expect(await acknowledgeSubject(db(), { type: 'alert', id: alert!.id }, tech.id, 'app', T(3))).toEqual({
        acknowledged: true,
        by: tech.id,
      });
      expect(await acknowledgeSubject(db(), { type: 'alert', id: alert!.id }, other.id, 'app', T(3))).toEqual({
        acknowledged: false,
        by: tech.id,
      });
      hub.clock.set(T(30));
      expect(await escalations.runDue()).toBe(0);
      expect((await alerts())[0]).toMatchObject({
        state: 'acknowledged',
        acknowledged_by: tech.id,
        acknowledged_at: T(3),
      });
    });
  });
});
