import { createServer, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { storeBatch } from '../domain/agents/batches.js';
import { insertAgent, insertCheck } from '../test/checks.js';
import { insertClientWithSystem } from '../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { heartbeatScene, http, listen } from '../test/heartbeats.js';
import { ProbeScheduler } from '../worker/probe-scheduler.js';
import type { Timers } from '../worker/timers.js';

/** Timers that never fire: the test polls and flushes the probe itself. */
const stillTimers: Timers = { setTimeout: () => ({}), clearTimeout: () => {} };

forEachDatabase('the product figures at /metrics', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
  });
  afterEach(() => hub.close());

  const scrape = async () => {
    const text = (await hub.app.inject({ url: '/metrics' })).body;
    return (name: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      return line ? Number(line.split(' ')[1]) : undefined;
    };
  };

  it('counts checks, heartbeats and agents by state, agents connected, and pings ingested', async () => {
    const { heartbeat, system } = await heartbeatScene(hub);
    const db = hub.ctx.db.kysely;
    const sys = await db.selectFrom('systems').selectAll().where('id', '=', system.id).executeTakeFirstOrThrow();
    for (const state of ['up', 'up', 'down', 'unknown']) await insertCheck(db, sys, { state });
    await insertAgent(db, { id: sys.site_id, client_id: sys.client_id }, { status: 'online' });
    const base = await listen(hub);
    expect((await http(`${base}/ping/${heartbeat.id}`)).status).toBe(200);
    expect((await http(`${base}/ping/${heartbeat.id}/fail`)).status).toBe(200);
    expect((await http(`${base}/ping/00000000-0000-4000-8000-000000000000`)).status).toBe(404);

    const value = await scrape();
    expect(value('afterhours_checks{state="up"}')).toBe(2);
    expect(value('afterhours_checks{state="down"}')).toBe(1);
    expect(value('afterhours_checks{state="unknown"}')).toBe(1);
    expect(value('afterhours_heartbeats{state="down"}')).toBe(1);
    expect(value('afterhours_agents{state="online"}')).toBe(1);
    expect(value('afterhours_agents_connected')).toBe(0);
    expect(value('afterhours_pings_ingested_total')).toBe(2);
  });

  it('times the probe starts behind their slots, counts results by source, and shows each agent backlog', async () => {
    const db = hub.ctx.db.kysely;
    const { system } = await insertClientWithSystem(db);
    const target = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const port = (target.address() as AddressInfo).port;
    const probe = new ProbeScheduler(hub.ctx, { timers: stillTimers });
    try {
      // Due 2 s ago on the hub's (manual) clock: the probe starts it exactly 2 s late.
      await insertCheck(db, system, {
        params_json: JSON.stringify({ host: '127.0.0.1', port }),
        next_run_at: new Date(hub.clock.now().getTime() - 2000).toISOString(),
      });
      probe.start();
      expect(await probe.poll()).toBe(1);
      await expect.poll(() => probe.writer.waiting, { timeout: 10_000 }).toBe(1);
      await probe.writer.flush();
    } finally {
      await probe.stop();
      await new Promise((resolve) => target.close(resolve));
    }

    const agent = await insertAgent(db, { id: system.site_id, client_id: system.client_id }, { backlog: 12 });
    await insertAgent(db, { id: system.site_id, client_id: system.client_id }, { status: 'revoked', backlog: 3 });
    const agentCheck = await insertCheck(db, system, { probe: 'agent', agent_id: agent.id });
    const result = { checkId: agentCheck.id, status: 'up' as const, latencyMs: 4, message: 'ok' };
    const at = (s: number) => new Date(hub.clock.now().getTime() - s * 1000).toISOString();
    expect(
      (
        await storeBatch(hub.ctx, agent.id, 1, [
          { ...result, at: at(60) },
          { ...result, at: at(30) },
        ])
      ).stored,
    ).toBe(2);
    expect((await storeBatch(hub.ctx, agent.id, 1, [{ ...result, at: at(60) }])).duplicate).toBe(true);

    const value = await scrape();
    expect(value('afterhours_probe_start_lateness_seconds_count')).toBe(1);
    expect(value('afterhours_probe_start_lateness_seconds_sum')).toBe(2);
    expect(value('afterhours_probe_start_lateness_seconds_bucket{le="1"}')).toBe(0);
    expect(value('afterhours_probe_start_lateness_seconds_bucket{le="2.5"}')).toBe(1);
    expect(value('afterhours_check_results_ingested_total{source="probe"}')).toBe(1);
    expect(value('afterhours_check_results_ingested_total{source="agent"}')).toBe(2);
    expect(value(`afterhours_agent_backlog_results{agent_id="${agent.id}",site_id="${system.site_id}"}`)).toBe(12);
    const text = (await hub.app.inject({ url: '/metrics' })).body;
    expect(text.match(/^afterhours_agent_backlog_results\{/gm)).toHaveLength(1);
  });
});
