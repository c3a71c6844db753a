import { afterEach, beforeEach, expect, it } from 'vitest';
import { ingestResults } from '../../domain/monitoring/ingest.js';
import { markSiteUnreachable } from '../../domain/monitoring/reachability.js';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import { insertAgent, insertCheck } from '../../test/checks.js';
import { insertClientWithSystem, insertDependency, insertSystem, signedInAs } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const T = (m: number) => new Date(Date.UTC(2026, 10, 20, 17, m)).toISOString();

forEachDatabase('status and state changes API', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());
  const db = () => hub.ctx.db.kysely;

  it('shows every client and site with counts by state, problems first, and each check’s sparkline', async () => {
    const calm = await insertClientWithSystem(db(), 'Calm Ltd');
    const busy = await insertClientWithSystem(db(), 'Busy Ltd');
    const quiet = await insertClientWithSystem(db(), 'Quiet Ltd');
    const ok = await insertCheck(db(), calm.system, { name: 'web' });
    const web = await insertCheck(db(), busy.system, { name: 'web' });
    const mail = await insertCheck(db(), busy.system, { name: 'mail' });
    await insertCheck(db(), busy.system, { name: 'old', paused: 1, state: 'paused' });
    const r = (checkId: string, m: number, status: 'up' | 'down', latencyMs: number | null) => ({
      checkId,
      at: T(m),
      status,
      latencyMs,
      message: status,
    });
    await ingestResults(hub.ctx, { type: 'hub' }, [
      r(ok.id, 1, 'up', 5),
      r(ok.id, 2, 'up', 7),
      r(web.id, 1, 'up', 3),
      r(mail.id, 1, 'down', null),
    ]);

    const res = await owner.get('/api/status');
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ up: 2, degraded: 0, down: 1, unknown: 0, paused: 1 });
    expect(res.body.clients.map((c: { name: string }) => c.name)).toEqual(['Busy Ltd', 'Calm Ltd', 'Quiet Ltd']);
    const busySite = res.body.clients[0].sites[0];
    expect(busySite).toMatchObject({ reachable: true, counts: { up: 1, down: 1, paused: 1 } });
    const checks = busySite.systems[0].checks;
    expect(checks.map((c: { name: string; state: string }) => [c.name, c.state])).toEqual([
      ['mail', 'down'],
      ['old', 'paused'],
      ['web', 'up'],
    ]);
    const calmCheck = res.body.clients[1].sites[0].systems[0].checks[0];
    expect(calmCheck).toMatchObject({ state: 'up', latencies: [5, 7], lastResult: { status: 'up', latencyMs: 7 } });
    expect(checks[0].latencies).toEqual([null]);
    expect(res.body.clients[2].counts).toEqual({ up: 0, degraded: 0, down: 0, unknown: 0, paused: 0 });
    expect(quiet.client.id).toBe(res.body.clients[2].id);

    const problems = await owner.get('/api/status?problemsOnly=true');
    expect(problems.body.clients.map((c: { name: string }) => c.name)).toEqual(['Busy Ltd']);
    const client = await signedInAs(hub, 'client', calm.client.id);
    expect((await client.get('/api/status')).body.clients.map((c: { name: string }) => c.name)).toEqual(['Calm Ltd']);
  });

  it('marks a site whose agent is unreachable, and lists its state changes, roots only on request', async () => {
    const { client, site, system: host } = await insertClientWithSystem(db(), 'Acme');
    const vm = await insertSystem(db(), site, { name: 'VM' });
    await insertDependency(db(), vm, host);
    const agent = await insertAgent(db(), site);
    const hostCheck = await insertCheck(db(), host, { probe: 'agent', agent_id: agent.id, name: 'host ping' });
    const vmCheck = await insertCheck(db(), vm, { probe: 'agent', agent_id: agent.id, name: 'vm rdp' });
    const up = (checkId: string) => ({ checkId, at: T(1), status: 'up' as const, latencyMs: 1, message: 'ok' });
    await ingestResults(hub.ctx, { type: 'agent', agentId: agent.id }, [up(hostCheck.id), up(vmCheck.id)]);
    hub.clock.set(T(10));
    await db().updateTable('agents').set({ status: 'unreachable' }).where('id', '=', agent.id).execute();
    await markSiteUnreachable(hub.ctx, site.id, agent.id, T(10));

    const status = await owner.get(`/api/status?clientId=${client.id}`);
    expect(status.body.clients[0].sites[0]).toMatchObject({ reachable: false, counts: { unknown: 2 } });

    const all = await owner.get(`/api/state-changes?siteId=${site.id}`);
    expect(all.body.items.filter((c: { at: string }) => c.at === T(10))).toHaveLength(3);
    const roots = await owner.get(`/api/state-changes?siteId=${site.id}&rootsOnly=true`);
    const outage = roots.body.items.filter((c: { at: string }) => c.at === T(10));
    expect(outage).toEqual([
      expect.objectContaining({
        subjectType: 'site',
        subjectName: 'Acme office',
        from: 'reachable',
        to: 'unreachable',
        rootCauseId: null,
      }),
    ]);
    const caused = all.body.items.filter((c: { rootCauseId: string | null }) => c.rootCauseId === outage[0].id);
    expect(caused.map((c: { subjectName: string }) => c.subjectName).sort()).toEqual(['host ping', 'vm rdp']);
    expect((await owner.get('/api/state-changes?before=yesterday')).status).toBe(400);
    const other = await insertClientWithSystem(db(), 'Other');
    const outsider = await signedInAs(hub, 'client', other.client.id);
    expect((await outsider.get(`/api/state-changes?siteId=${site.id}`)).body.items).toEqual([]);
  });
});
