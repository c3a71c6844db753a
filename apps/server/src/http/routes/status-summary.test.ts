import { afterEach, beforeEach, expect, it } from 'vitest';
import { ingestResults } from '../../domain/monitoring/ingest.js';
import { markSiteUnreachable } from '../../domain/monitoring/reachability.js';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import { insertAgent, insertCheck } from '../../test/checks.js';
import {
  insertClientWithSystem,
  insertDependency,
  insertSite,
  insertSystem,
  signedInAs,
} from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const T = (m: number) => new Date(Date.UTC(2026, 10, 20, 17, m)).toISOString();
type Named = { name: string };

forEachDatabase('status summary, site filter, causes and unreachable sites', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());
  const db = () => hub.ctx.db.kysely;
  const result = (checkId: string, m: number, status: 'up' | 'degraded' | 'down', message: string = status) => ({
    checkId,
    at: T(m),
    status,
    latencyMs: status === 'down' ? null : 4,
    message,
  });

  /** Busy: a host down, a VM unknown because of it, a slow mail server, a web check up, one paused. Calm: all up. */
  async function scene() {
    const busy = await insertClientWithSystem(db(), 'Busy Ltd');
    const vm = await insertSystem(db(), busy.site, { name: 'VM' });
    await insertDependency(db(), vm, busy.system);
    const hostPing = await insertCheck(db(), busy.system, { name: 'ping' });
    const vmRdp = await insertCheck(db(), vm, { name: 'rdp' });
    const mailServer = await insertSystem(db(), busy.site, { name: 'Mail' });
    const mail = await insertCheck(db(), mailServer, { name: 'smtp' });
    const web = await insertCheck(db(), busy.system, { name: 'web' });
    await insertCheck(db(), busy.system, { name: 'old', paused: 1, state: 'paused' });
    const calm = await insertClientWithSystem(db(), 'Calm Ltd');
    const calmWeb = await insertCheck(db(), calm.system, { name: 'web' });
    await ingestResults(hub.ctx, { type: 'hub' }, [
      result(hostPing.id, 1, 'down', 'no answer'),
      result(vmRdp.id, 1, 'up'),
      result(mail.id, 1, 'degraded', 'slow banner'),
      result(web.id, 1, 'up'),
      result(calmWeb.id, 1, 'up'),
    ]);
    return { busy, calm, vm, hostPing, vmRdp, mail };
  }

  it('lists every client and site with counts, and only the checks in trouble, with reason and named cause', async () => {
    const { busy, vm, hostPing, vmRdp, mail } = await scene();
    const res = await owner.get('/api/status/summary');
    expect(res.status).toBe(200);
    const full = await owner.get('/api/status');
    expect(res.body.counts).toEqual(full.body.counts);
    expect(res.body.counts).toEqual({ up: 2, degraded: 1, down: 1, unknown: 1, paused: 1 });
    expect(res.body.clients.map((c: Named) => c.name)).toEqual(['Busy Ltd', 'Calm Ltd']);
    const site = res.body.clients[0].sites[0];
    expect(site).toMatchObject({
      id: busy.site.id,
      reachable: true,
      unreachableSince: null,
      agentName: null,
      counts: full.body.clients[0].sites[0].counts,
    });
    expect(site.problems.map((p: { id: string }) => p.id)).toEqual([hostPing.id, mail.id, vmRdp.id]);
    expect(site.problems[0]).toMatchObject({
      state: 'down',
      systemId: busy.system.id,
      systemName: 'Busy Ltd server',
      cause: null,
      lastResult: { message: 'no answer' },
    });
    expect(site.problems[1]).toMatchObject({ state: 'degraded', systemName: 'Mail', stateReason: 'slow banner' });
    expect(site.problems[2]).toMatchObject({
      state: 'unknown',
      systemId: vm.id,
      stateReason: 'because Busy Ltd server is down',
      cause: { type: 'system', id: busy.system.id, name: 'Busy Ltd server' },
    });
    expect(site.problems[0]).not.toHaveProperty('latencies');
    expect(res.body.clients[1].sites[0].problems).toEqual([]);
    expect(res.body.clients[1].sites[0].counts).toMatchObject({ up: 1 });

    // The full shape names the cause too.
    const fullVm = full.body.clients[0].sites[0].systems.find((s: { id: string }) => s.id === vm.id);
    expect(fullVm.checks.find((c: { id: string }) => c.id === vmRdp.id).cause).toEqual({
      type: 'system',
      id: busy.system.id,
      name: 'Busy Ltd server',
    });

    expect((await owner.get('/api/status/summary?problemsOnly=true')).body.clients.map((c: Named) => c.name)).toEqual([
      'Busy Ltd',
    ]);
    const client = await signedInAs(hub, 'client', busy.client.id);
    expect((await client.get('/api/status/summary')).body.clients.map((c: Named) => c.name)).toEqual(['Busy Ltd']);
    expect((await owner.get('/api/status/summary?siteId=nope')).status).toBe(400);
  });

  it('sends checks unknown for the same reason as one line with a count and the first four names', async () => {
    const { site, system } = await insertClientWithSystem(db(), 'Chain Ltd');
    const host = await insertCheck(db(), system, { name: 'ping' });
    const vms: string[] = [];
    for (const name of ['VM1', 'VM2', 'VM3', 'VM4', 'VM5', 'VM6']) {
      const vm = await insertSystem(db(), site, { name });
      await insertDependency(db(), vm, system);
      vms.push((await insertCheck(db(), vm, { name: 'rdp' })).id);
    }
    const printer = await insertSystem(db(), site, { name: 'Printer' });
    const jetdirect = await insertCheck(db(), printer, { name: 'jetdirect' });
    await ingestResults(hub.ctx, { type: 'hub' }, [
      result(host.id, 1, 'up'),
      result(jetdirect.id, 1, 'up'),
      ...vms.map((id) => result(id, 1, 'up')),
    ]);
    await ingestResults(hub.ctx, { type: 'hub' }, [result(host.id, 2, 'down', 'no answer')]);
    await ingestResults(hub.ctx, { type: 'hub' }, [result(host.id, 3, 'down', 'no answer')]);

    const s = (await owner.get('/api/status/summary')).body.clients[0].sites[0];
    expect(s.counts).toMatchObject({ down: 1, unknown: 6, up: 1 });
    expect(s.problems.map((p: { id: string }) => p.id)).toEqual([host.id]);
    expect(s.groups).toEqual([
      {
        reason: 'because Chain Ltd server is down',
        probe: 'hub',
        cause: { type: 'system', id: system.id, name: 'Chain Ltd server' },
        count: 6,
        since: expect.any(String),
        names: ['VM1 rdp', 'VM2 rdp', 'VM3 rdp', 'VM4 rdp'],
      },
    ]);
    // The full status still lists each of them.
    const full = (await owner.get('/api/status')).body.clients[0].sites[0];
    expect(full.systems.flatMap((sys: { checks: { state: string }[] }) => sys.checks.map((c) => c.state))).toHaveLength(
      8,
    );
  });

  it('answers one site with siteId: its client, its systems and counts of that site alone', async () => {
    const { busy, calm } = await scene();
    const annex = await insertSite(db(), busy.client, { name: 'Annex' });
    const printer = await insertSystem(db(), annex, { name: 'Printer' });
    const jetdirect = await insertCheck(db(), printer, { name: 'jetdirect' });
    await ingestResults(hub.ctx, { type: 'hub' }, [result(jetdirect.id, 2, 'down', 'connection refused')]);

    const res = await owner.get(`/api/status?siteId=${annex.id}`);
    expect(res.status).toBe(200);
    expect(res.body.clients).toHaveLength(1);
    expect(res.body.clients[0]).toMatchObject({ id: busy.client.id, counts: { down: 1, up: 0 } });
    expect(res.body.clients[0].sites.map((s: Named) => s.name)).toEqual(['Annex']);
    expect(res.body.clients[0].sites[0].systems.map((s: Named) => s.name)).toEqual(['Printer']);
    expect(res.body.counts).toEqual({ up: 0, degraded: 0, down: 1, unknown: 0, paused: 0 });
    const summary = await owner.get(`/api/status/summary?siteId=${annex.id}`);
    expect(summary.body.clients[0].sites[0].problems.map((p: Named) => p.name)).toEqual(['jetdirect']);

    // Another firm's site is not there for a client account.
    const outsider = await signedInAs(hub, 'client', calm.client.id);
    expect((await outsider.get(`/api/status?siteId=${annex.id}`)).body).toMatchObject({
      clients: [],
      counts: { down: 0 },
    });
  });

  it('shows since when a site is unreachable, through which agent, and its checks unknown because of that agent', async () => {
    const { client, site, system } = await insertClientWithSystem(db(), 'Acme');
    const agent = await insertAgent(db(), site, { name: 'office-pi' });
    const checks = [
      await insertCheck(db(), system, { probe: 'agent', agent_id: agent.id, name: 'nas smb' }),
      await insertCheck(db(), system, { probe: 'agent', agent_id: agent.id, name: 'ups' }),
    ];
    await ingestResults(
      hub.ctx,
      { type: 'agent', agentId: agent.id },
      checks.map((c) => result(c.id, 1, 'up')),
    );
    const before = await owner.get(`/api/status/summary?clientId=${client.id}`);
    expect(before.body.clients[0].sites[0]).toMatchObject({
      reachable: true,
      unreachableSince: null,
      agentName: 'office-pi',
      problems: [],
    });

    hub.clock.set(T(12));
    await markSiteUnreachable(hub.ctx, site.id, agent.id, T(10));
    const res = await owner.get(`/api/status/summary?clientId=${client.id}`);
    const s = res.body.clients[0].sites[0];
    expect(s).toMatchObject({
      reachable: false,
      unreachableSince: T(10),
      agentName: 'office-pi',
      counts: { unknown: 2 },
    });
    // Both checks are unknown for the same reason: one line, counted and named.
    expect(s.problems).toEqual([]);
    expect(s.groups).toEqual([
      {
        reason: 'site agent unreachable since 17:10',
        probe: 'agent',
        cause: { type: 'agent', id: agent.id, name: 'office-pi' },
        count: 2,
        since: T(10),
        names: ['Acme server nas smb', 'Acme server ups'],
      },
    ]);
    expect((await owner.get('/api/status/summary?problemsOnly=true')).body.clients.map((c: Named) => c.name)).toEqual([
      'Acme',
    ]);

    const check = await owner.get(`/api/checks/${checks[0]!.id}`);
    expect(check.body).toMatchObject({
      timeZone: 'Europe/London',
      cause: { type: 'agent', id: agent.id, name: 'office-pi' },
    });
    const list = await owner.get(`/api/checks?siteId=${site.id}`);
    expect(list.body.items.map((c: { cause: unknown }) => c.cause)).toEqual([
      { type: 'agent', id: agent.id, name: 'office-pi' },
      { type: 'agent', id: agent.id, name: 'office-pi' },
    ]);
  });
});
