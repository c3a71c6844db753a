import { afterEach, beforeEach, expect, it } from 'vitest';
import { ingestResults } from '../monitoring/ingest.js';
import { markSiteUnreachable } from '../monitoring/reachability.js';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import { insertAgent, insertCheck } from '../../test/checks.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const T = (m: number) => new Date(Date.UTC(2026, 10, 20, 17, m)).toISOString();

forEachDatabase('revoking or deleting a site agent makes its checks unknown under one root', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());
  const db = () => hub.ctx.db.kysely;

  async function scene() {
    const { site, system } = await insertClientWithSystem(db(), 'Acme');
    const agent = await insertAgent(db(), site, { name: 'office-pi' });
    const agentChecks = [
      await insertCheck(db(), system, { probe: 'agent', agent_id: agent.id, name: 'rdp' }),
      await insertCheck(db(), system, { probe: 'agent', agent_id: agent.id, name: 'smb' }),
    ];
    const paused = await insertCheck(db(), system, {
      probe: 'agent',
      agent_id: agent.id,
      name: 'old',
      paused: 1,
      state: 'paused',
    });
    const hubCheck = await insertCheck(db(), system, { name: 'website' });
    await ingestResults(
      hub.ctx,
      { type: 'agent', agentId: agent.id },
      agentChecks.map((c) => ({ checkId: c.id, at: T(1), status: 'up' as const, latencyMs: 2, message: 'ok' })),
    );
    await ingestResults(hub.ctx, { type: 'hub' }, [
      { checkId: hubCheck.id, at: T(1), status: 'up', latencyMs: 2, message: 'ok' },
    ]);
    hub.clock.set(T(30));
    return { site, agent, agentChecks, paused, hubCheck };
  }
  const changesSince = () => db().selectFrom('state_changes').selectAll().where('recorded_at', '=', T(30)).execute();
  const states = async (ids: string[]) =>
    Object.fromEntries(
      (
        await db()
          .selectFrom('checks')
          .select(['id', 'state', 'state_reason', 'cause_type', 'cause_id'])
          .where('id', 'in', ids)
          .execute()
      ).map((c) => [c.id, c]),
    );

  it('revoke: one root change for the site, each agent check unknown "site agent revoked" under it; hub and paused checks untouched; once', async () => {
    const { site, agent, agentChecks, paused, hubCheck } = await scene();
    const res = await owner.post(`/api/agents/${agent.id}/revoke`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('revoked');

    const rows = await changesSince();
    const roots = rows.filter((r) => r.root_cause_id === null);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({
      subject_type: 'site',
      site_id: site.id,
      agent_id: agent.id,
      from_state: 'reachable',
      to_state: 'unreachable',
      reason: 'site agent office-pi revoked at 17:30',
      cause_type: 'agent',
    });
    const checkRows = rows.filter((r) => r.subject_type === 'check');
    expect(checkRows.map((r) => r.check_id).sort()).toEqual(agentChecks.map((c) => c.id).sort());
    for (const r of checkRows)
      expect(r).toMatchObject({
        from_state: 'up',
        to_state: 'unknown',
        reason: 'site agent revoked',
        cause_type: 'agent',
        cause_id: agent.id,
        root_cause_id: roots[0]!.id,
      });

    const after = await states([...agentChecks.map((c) => c.id), paused.id, hubCheck.id]);
    for (const c of agentChecks)
      expect(after[c.id]).toMatchObject({
        state: 'unknown',
        state_reason: 'site agent revoked',
        cause_type: 'agent',
        cause_id: agent.id,
      });
    expect(after[paused.id]).toMatchObject({ state: 'paused' });
    expect(after[hubCheck.id]).toMatchObject({ state: 'up' });

    // The Now summary says why, and names the agent.
    const summary = await owner.get('/api/status/summary');
    // Two checks for the same reason: one line.
    const line = summary.body.clients[0].sites[0];
    expect(line.problems).toEqual([]);
    expect(line.groups).toMatchObject([
      {
        reason: 'site agent revoked',
        probe: 'agent',
        count: 2,
        cause: { type: 'agent', id: agent.id, name: 'office-pi' },
      },
    ]);

    expect((await owner.post(`/api/agents/${agent.id}/revoke`)).status).toBe(200);
    expect(await changesSince()).toHaveLength(rows.length);
    // Deleting it afterwards changes nothing more.
    expect((await owner.delete(`/api/agents/${agent.id}`)).status).toBe(200);
    expect(await changesSince()).toHaveLength(rows.length);
  });

  it('revoking an agent already unreachable keeps the outage as the one root and rewords its checks', async () => {
    const { site, agent, agentChecks } = await scene();
    await db().updateTable('agents').set({ status: 'unreachable' }).where('id', '=', agent.id).execute();
    const outage = await markSiteUnreachable(hub.ctx, site.id, agent.id, T(20));
    expect((await owner.post(`/api/agents/${agent.id}/revoke`)).status).toBe(200);
    expect(await changesSince()).toHaveLength(3);
    const roots = (await changesSince()).filter((r) => r.root_cause_id === null);
    expect(roots.map((r) => r.id)).toEqual([outage.rootChangeId]);
    const after = await states(agentChecks.map((c) => c.id));
    for (const c of agentChecks)
      expect(after[c.id]).toMatchObject({ state: 'unknown', state_reason: 'site agent revoked', cause_id: agent.id });
  });

  it('delete: the checks stay, unknown "site agent deleted" under one root, without an agent', async () => {
    const { agent, agentChecks } = await scene();
    expect((await owner.delete(`/api/agents/${agent.id}`)).status).toBe(200);
    const rows = await changesSince();
    expect(rows.filter((r) => r.root_cause_id === null)).toEqual([
      expect.objectContaining({ subject_type: 'site', reason: 'site agent office-pi deleted at 17:30' }),
    ]);
    expect(rows.filter((r) => r.subject_type === 'check')).toHaveLength(2);
    const check = await owner.get(`/api/checks/${agentChecks[0]!.id}`);
    expect(check.body).toMatchObject({
      state: 'unknown',
      stateReason: 'site agent deleted',
      agentId: null,
      cause: { type: 'agent', id: agent.id, name: 'a deleted site agent' },
    });
  });

  it('an agent without checks leaves no state change behind', async () => {
    const { site } = await insertClientWithSystem(db(), 'Quiet');
    const agent = await insertAgent(db(), site);
    expect((await owner.post(`/api/agents/${agent.id}/revoke`)).status).toBe(200);
    expect(await db().selectFrom('state_changes').select('id').where('site_id', '=', site.id).execute()).toEqual([]);
  });
});
