import { afterEach, beforeEach, expect, it } from 'vitest';
import { insertClientWithSystem } from '../../test/factories.js';
import { insertAgent, insertCheck } from '../../test/checks.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { ingestResults } from './ingest.js';
import { markSiteReachable, markSiteUnreachable } from './reachability.js';

const T = (minute: number) => new Date(Date.UTC(2026, 6, 3, 17, minute)).toISOString();

forEachDatabase('site reachability', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
  });
  afterEach(async () => {
    await hub.close();
  });
  const db = () => hub.ctx.db.kysely;

  async function scene(checks = 3) {
    const { site, system } = await insertClientWithSystem(db());
    const agent = await insertAgent(db(), site, { name: 'office-pi' });
    const agentChecks = [];
    for (let i = 0; i < checks; i++)
      agentChecks.push(await insertCheck(db(), system, { probe: 'agent', agent_id: agent.id }));
    const hubCheck = await insertCheck(db(), system);
    const all = [...agentChecks, hubCheck];
    await ingestResults(
      hub.ctx,
      { type: 'agent', agentId: agent.id },
      agentChecks.map((c) => ({ checkId: c.id, at: T(1), status: 'up', latencyMs: 3, message: 'ok' })),
    );
    await ingestResults(hub.ctx, { type: 'hub' }, [
      { checkId: hubCheck.id, at: T(1), status: 'up', latencyMs: 3, message: 'ok' },
    ]);
    return { site, agent, agentChecks, hubCheck, all };
  }

  it('makes one root change for the site and the agent’s checks unknown under it; once', async () => {
    const { site, agent, agentChecks, hubCheck } = await scene();
    const outcome = await markSiteUnreachable(hub.ctx, site.id, agent.id, T(42));
    expect(outcome.checksChanged).toBe(3);
    const rows = await db()
      .selectFrom('state_changes')
      .selectAll()
      .where('recorded_at', '=', hub.clock.now().toISOString())
      .where('at', '=', T(42))
      .execute();
    const roots = rows.filter((r) => r.root_cause_id === null);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({
      id: outcome.rootChangeId,
      subject_type: 'site',
      site_id: site.id,
      agent_id: agent.id,
      from_state: 'reachable',
      to_state: 'unreachable',
    });
    const checkRows = rows.filter((r) => r.subject_type === 'check');
    expect(checkRows.map((r) => r.check_id).sort()).toEqual(agentChecks.map((c) => c.id).sort());
    for (const r of checkRows) {
      expect(r).toMatchObject({
        from_state: 'up',
        to_state: 'unknown',
        cause_type: 'agent',
        cause_id: agent.id,
        root_cause_id: outcome.rootChangeId,
        reason: 'site agent unreachable since 18:42',
      });
    }
    expect(
      await db().selectFrom('checks').select('state').where('id', '=', hubCheck.id).executeTakeFirstOrThrow(),
    ).toEqual({ state: 'up' });
    expect(
      await db().selectFrom('agents').select('status').where('id', '=', agent.id).executeTakeFirstOrThrow(),
    ).toEqual({ status: 'unreachable' });

    expect(await markSiteUnreachable(hub.ctx, site.id, agent.id, T(43))).toEqual({
      rootChangeId: null,
      checksChanged: 0,
      events: [],
    });
  });

  it('when the agent is back the site is reachable, and each check takes its computed state on its next result', async () => {
    const { site, agent, agentChecks } = await scene(2);
    await markSiteUnreachable(hub.ctx, site.id, agent.id, T(42));
    const back = await markSiteReachable(hub.ctx, site.id, agent.id, T(50));
    const siteRow = await db()
      .selectFrom('state_changes')
      .selectAll()
      .where('id', '=', back.rootChangeId!)
      .executeTakeFirstOrThrow();
    expect(siteRow).toMatchObject({
      subject_type: 'site',
      from_state: 'unreachable',
      to_state: 'reachable',
      at: T(50),
    });
    expect(
      await db().selectFrom('checks').select('state').where('id', '=', agentChecks[0]!.id).executeTakeFirstOrThrow(),
    ).toEqual({ state: 'unknown' });

    const [a, b] = agentChecks;
    await ingestResults(hub.ctx, { type: 'agent', agentId: agent.id }, [
      { checkId: a!.id, at: T(51), status: 'up', latencyMs: 3, message: 'ok' },
      { checkId: b!.id, at: T(51), status: 'down', latencyMs: null, message: 'connection refused' },
    ]);
    const states = await db()
      .selectFrom('checks')
      .select(['id', 'state', 'cause_type'])
      .where('id', 'in', [a!.id, b!.id])
      .execute();
    expect(Object.fromEntries(states.map((s) => [s.id, [s.state, s.cause_type]]))).toEqual({
      [a!.id]: ['up', null],
      [b!.id]: ['down', null],
    });
    expect(await markSiteReachable(hub.ctx, site.id, agent.id, T(52))).toEqual({
      rootChangeId: null,
      checksChanged: 0,
      events: [],
    });
  });
});
