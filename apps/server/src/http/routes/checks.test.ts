import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import { insertAgent, insertCheck } from '../../test/checks.js';
import { countRows, insertClientWithSystem, signedInAs } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

forEachDatabase('checks API', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  let tcp: Server | undefined;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(async () => {
    if (tcp) await new Promise((r) => tcp!.close(r));
    tcp = undefined;
    await hub.close();
  });
  const db = () => hub.ctx.db.kysely;
  const tcpBody = (systemId: string, over: Record<string, unknown> = {}) => ({
    systemId,
    name: 'RDP',
    kind: 'tcp',
    params: { host: '127.0.0.1', port: 3389 },
    ...over,
  });

  it('adds a check with defaults, spreads its first run over its interval, and audits it', async () => {
    const { client, system } = await insertClientWithSystem(db(), 'Acme');
    const created = await owner.post('/api/checks', tcpBody(system.id, { intervalS: 120 }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      systemId: system.id,
      clientId: client.id,
      systemName: 'Acme server',
      clientName: 'Acme',
      kind: 'tcp',
      params: { host: '127.0.0.1', port: 3389 },
      probe: 'hub',
      agentId: null,
      intervalS: 120,
      timeoutMs: 10_000,
      failuresBeforeDown: 2,
      successesBeforeUp: 1,
      paused: false,
      state: 'unknown',
      lastResult: null,
    });
    const due = Date.parse(created.body.nextRunAt) - hub.clock.now().getTime();
    expect(due).toBeGreaterThanOrEqual(0);
    expect(due).toBeLessThan(120_000);
    expect((await owner.get(`/api/checks/${created.body.id}`)).body).toEqual(created.body);
    const audit = await db()
      .selectFrom('audit_events')
      .select(['action', 'entity_id'])
      .where('action', '=', 'check.create')
      .execute();
    expect(audit).toEqual([{ action: 'check.create', entity_id: created.body.id }]);
  });

  it.each<[string, (systemId: string) => Record<string, unknown>, Record<string, string>]>([
    [
      'no system',
      () => tcpBody(MISSING),
      { systemId: expect.stringContaining('names no system') as unknown as string },
    ],
    ['an unknown kind', (s) => tcpBody(s, { kind: 'gopher' }), { kind: expect.any(String) as unknown as string }],
    [
      'a missing port',
      (s) => tcpBody(s, { params: { host: '127.0.0.1' } }),
      { 'params.port': expect.any(String) as unknown as string },
    ],
    [
      'an unknown setting',
      (s) => tcpBody(s, { params: { host: '127.0.0.1', port: 22, colour: 'red' } }),
      { params: expect.any(String) as unknown as string },
    ],
    [
      'a bad URL',
      (s) => ({ systemId: s, name: 'Site', kind: 'http', params: { url: 'ftp://x' } }),
      { 'params.url': 'must be a full http:// or https:// address' },
    ],
    ['an interval under 10 s', (s) => tcpBody(s, { intervalS: 5 }), { intervalS: 'must be at least 10 seconds' }],
    [
      'an interval over 24 h',
      (s) => tcpBody(s, { intervalS: 86_401 }),
      { intervalS: 'must be at most 86400 seconds (24 hours)' },
    ],
    [
      'a timeout longer than the interval',
      (s) => tcpBody(s, { intervalS: 10, timeoutMs: 20_000 }),
      { timeoutMs: 'must not be longer than the interval' },
    ],
    [
      'failures before down of 0',
      (s) => tcpBody(s, { failuresBeforeDown: 0 }),
      { failuresBeforeDown: 'must be 1 to 20' },
    ],
    [
      'an agent check at a site without an agent',
      (s) => tcpBody(s, { probe: 'agent' }),
      { probe: expect.stringContaining('no agent') as unknown as string },
    ],
    ['an unknown field', (s) => tcpBody(s, { colour: 'red' }), { colour: 'is not a known field' }],
  ])('refuses %s with a field error', async (_name, body, fields) => {
    const { system } = await insertClientWithSystem(db());
    const res = await owner.post('/api/checks', body(system.id));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.fields).toMatchObject(fields);
    expect(await countRows(db(), 'checks')).toBe(0);
  });

  it('stores secret settings encrypted, shows them masked, and keeps them when "***" comes back', async () => {
    const { system } = await insertClientWithSystem(db());
    const created = await owner.post('/api/checks', {
      systemId: system.id,
      name: 'Switch',
      kind: 'snmp',
      params: { host: '127.0.0.1', auth: { version: 'v2c', community: 'sekret-community' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.params.auth).toEqual({ version: 'v2c', community: '***' });
    const row = await db()
      .selectFrom('checks')
      .select(['params_json', 'secrets_enc'])
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row.params_json).not.toContain('sekret');
    expect(row.secrets_enc).not.toContain('sekret');
    expect(JSON.parse(hub.ctx.secrets.decrypt(row.secrets_enc!))).toEqual({ 'auth.community': 'sekret-community' });

    const kept = await owner.patch(`/api/checks/${created.body.id}`, {
      params: { ...created.body.params, oid: '1.3.6.1.2.1.1.3.0' },
    });
    expect(kept.status).toBe(200);
    expect(kept.body.params).toMatchObject({ oid: '1.3.6.1.2.1.1.3.0', auth: { community: '***' } });
    const after = await db()
      .selectFrom('checks')
      .select('secrets_enc')
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(hub.ctx.secrets.decrypt(after.secrets_enc!))).toEqual({ 'auth.community': 'sekret-community' });
    await owner.patch(`/api/checks/${created.body.id}`, {
      params: { host: '127.0.0.1', auth: { version: 'v2c', community: 'new-one' } },
    });
    const changed = await db()
      .selectFrom('checks')
      .select('secrets_enc')
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(hub.ctx.secrets.decrypt(changed.secrets_enc!))).toEqual({ 'auth.community': 'new-one' });
    const audits = await db().selectFrom('audit_events').select(['before_json', 'after_json']).execute();
    expect(JSON.stringify(audits)).not.toMatch(/sekret|new-one/);
  });

  it('adds a check paused from the start: who paused it, no run due', async () => {
    const { system } = await insertClientWithSystem(db());
    const created = await owner.post('/api/checks', tcpBody(system.id, { paused: true }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ paused: true, state: 'paused', nextRunAt: null, lastResult: null });
    expect(created.body.stateReason).toMatch(/^paused by \S/);
  });

  it('pauses and resumes a check, with a state change each time', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = (await owner.post('/api/checks', tcpBody(system.id))).body;
    const paused = await owner.patch(`/api/checks/${check.id}`, { paused: true });
    expect(paused.body).toMatchObject({ paused: true, state: 'paused', nextRunAt: null });
    hub.clock.advance(60_000);
    const resumed = await owner.patch(`/api/checks/${check.id}`, { paused: false });
    expect(resumed.body).toMatchObject({ paused: false, state: 'unknown' });
    expect(resumed.body.nextRunAt).not.toBeNull();
    const changes = await owner.get(`/api/checks/${check.id}/state-changes`);
    expect(changes.body.items.map((c: { from: string; to: string }) => [c.from, c.to])).toEqual([
      ['paused', 'unknown'],
      ['unknown', 'paused'],
    ]);
    expect(changes.body.items[1].reason).toBe('paused by owner@example.com');
  });

  it('refuses a timeout longer than a shortened interval', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = (await owner.post('/api/checks', tcpBody(system.id, { intervalS: 60, timeoutMs: 30_000 }))).body;
    const res = await owner.patch(`/api/checks/${check.id}`, { intervalS: 20, timeoutMs: 30_000 });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({ timeoutMs: 'must not be longer than the interval' });
    expect((await owner.patch(`/api/checks/${check.id}`, { intervalS: 20 })).body.timeoutMs).toBe(20_000);
  });

  it('runs a hub check now against a real port and returns and stores its result', async () => {
    tcp = createServer((s) => s.end());
    const port = await new Promise<number>((r) =>
      tcp!.listen(0, '127.0.0.1', () => r((tcp!.address() as AddressInfo).port)),
    );
    const { system } = await insertClientWithSystem(db());
    const check = (await owner.post('/api/checks', tcpBody(system.id, { params: { host: '127.0.0.1', port } }))).body;
    const run = await owner.post(`/api/checks/${check.id}/run`);
    expect(run.status).toBe(200);
    expect(run.body.result).toMatchObject({ status: 'up', message: `port ${port} open on 127.0.0.1` });
    expect(run.body.check).toMatchObject({ state: 'up', lastResult: { status: 'up' } });
    const results = await owner.get(`/api/checks/${check.id}/results`);
    expect(results.body.items).toHaveLength(1);
    expect(results.body.items[0]).toMatchObject({ status: 'up', source: 'hub' });
  });

  it('asks the agent link to run an agent check, and says so when the agent is not connected', async () => {
    const { site, system } = await insertClientWithSystem(db());
    const agent = await insertAgent(db(), site);
    const check = (await owner.post('/api/checks', tcpBody(system.id, { probe: 'agent' }))).body;
    expect(check.agentId).toBe(agent.id);
    const offline = await owner.post(`/api/checks/${check.id}/run`);
    expect(offline.status).toBe(409);
    expect(offline.body.error.code).toBe('agent_offline');

    const asked: string[] = [];
    hub.ctx.agentLink = {
      runNow: async (agentId, checkId) => {
        asked.push(`${agentId}/${checkId}`);
        setTimeout(() => {
          void db()
            .updateTable('checks')
            .set({
              last_run_at: hub.clock.now().toISOString(),
              last_status: 'up',
              last_latency_ms: 2,
              last_message: 'port open',
            })
            .where('id', '=', checkId)
            .execute();
        }, 50);
        return true;
      },
      assignmentsChanged: () => {},
    };
    const ran = await owner.post(`/api/checks/${check.id}/run`);
    expect(ran.status).toBe(200);
    expect(asked).toEqual([`${agent.id}/${check.id}`]);
    expect(ran.body.result).toMatchObject({ status: 'up', message: 'port open' });
  });

  it('tells the agent link when an agent’s checks change', async () => {
    const { site, system } = await insertClientWithSystem(db());
    const agent = await insertAgent(db(), site);
    const told: string[] = [];
    hub.ctx.agentLink = { runNow: async () => false, assignmentsChanged: (id) => void told.push(id) };
    const check = (await owner.post('/api/checks', tcpBody(system.id, { probe: 'agent' }))).body;
    await owner.patch(`/api/checks/${check.id}`, { intervalS: 30 });
    await owner.patch(`/api/checks/${check.id}`, { probe: 'hub' });
    await owner.delete(`/api/checks/${check.id}`);
    expect(told).toEqual([agent.id, agent.id, agent.id]);
  });

  it('lists checks by system, site, client and state', async () => {
    const a = await insertClientWithSystem(db(), 'Acme');
    const b = await insertClientWithSystem(db(), 'Bolt');
    await insertCheck(db(), a.system, { name: 'a-up', state: 'up' });
    await insertCheck(db(), a.system, { name: 'a-down', state: 'down' });
    await insertCheck(db(), b.system, { name: 'b-down', state: 'down' });
    const names = async (q: string) =>
      (await owner.get(`/api/checks${q}`)).body.items.map((c: { name: string }) => c.name);
    expect(await names('')).toEqual(['a-down', 'a-up', 'b-down']);
    expect(await names(`?clientId=${a.client.id}`)).toEqual(['a-down', 'a-up']);
    expect(await names(`?siteId=${b.site.id}`)).toEqual(['b-down']);
    expect(await names(`?systemId=${a.system.id}&state=down`)).toEqual(['a-down']);
    expect(await names('?state=up&limit=1')).toEqual(['a-up']);
    const page = await owner.get('/api/checks?limit=2');
    expect(page.body.total).toBe(3);
    expect(
      (await owner.get(`/api/checks?limit=2&cursor=${page.body.nextCursor}`)).body.items.map(
        (c: { name: string }) => c.name,
      ),
    ).toEqual(['b-down']);
    expect((await owner.get('/api/checks?state=sideways')).status).toBe(400);
  });

  it('lets client users read only their own firm’s checks, and change none', async () => {
    const mine = await insertClientWithSystem(db(), 'Mine');
    const theirs = await insertClientWithSystem(db(), 'Theirs');
    const myCheck = await insertCheck(db(), mine.system, { name: 'mine' });
    const theirCheck = await insertCheck(db(), theirs.system, { name: 'theirs' });
    const client = await signedInAs(hub, 'client', mine.client.id);
    expect((await client.get('/api/checks')).body.items.map((c: { name: string }) => c.name)).toEqual(['mine']);
    expect((await client.get(`/api/checks/${myCheck.id}`)).status).toBe(200);
    expect((await client.get(`/api/checks/${myCheck.id}/uptime`)).status).toBe(200);
    for (const path of ['', '/results', '/uptime', '/history', '/state-changes']) {
      expect((await client.get(`/api/checks/${theirCheck.id}${path}`)).status).toBe(404);
    }
    expect((await client.post('/api/checks', tcpBody(mine.system.id))).status).toBe(403);
    expect((await client.patch(`/api/checks/${myCheck.id}`, { name: 'x' })).status).toBe(403);
    expect((await client.delete(`/api/checks/${myCheck.id}`)).status).toBe(403);
    expect((await client.post(`/api/checks/${myCheck.id}/run`)).status).toBe(403);
    const tech = await signedInAs(hub, 'technician');
    expect((await tech.patch(`/api/checks/${theirCheck.id}`, { name: 'renamed' })).status).toBe(200);
  });

  it('deletes a check with its results', async () => {
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system);
    await db()
      .insertInto('check_results')
      .values({
        check_id: check.id,
        at: '2026-11-20T17:00:00.000Z',
        status: 'up',
        latency_ms: 1,
        message: 'ok',
        source: 'hub',
      })
      .execute();
    expect((await owner.delete(`/api/checks/${check.id}`)).status).toBe(200);
    expect(await countRows(db(), 'check_results')).toBe(0);
    expect((await owner.get(`/api/checks/${check.id}`)).status).toBe(404);
  });
});
