import { afterEach, beforeEach, expect, it } from 'vitest';
import { insertAgent, insertCheck } from '../test/checks.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { heartbeatScene, http, listen } from '../test/heartbeats.js';

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
});
