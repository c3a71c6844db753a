import { afterEach, beforeEach, expect, it } from 'vitest';
import { countRows } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { heartbeatScene, http, listen, makePingKey } from '../../test/heartbeats.js';

/** What healthchecks.io sends, so that no caching proxy answers a ping in the hub's place. */
const NO_CACHE = 'max-age=0, no-cache, no-store, must-revalidate, private';

forEachDatabase('heartbeat pings over HTTP', (dialect) => {
  let hub: TestHub;
  let base: string;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    base = await listen(hub);
  });
  afterEach(() => hub.close());

  const db = () => hub.ctx.db.kysely;
  const heartbeatRow = (id: string) =>
    db().selectFrom('heartbeats').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const pings = (id: string) =>
    db().selectFrom('heartbeat_pings').selectAll().where('heartbeat_id', '=', id).orderBy('n').execute();

  it('answers every URL form with HEAD, GET and POST: 200 OK, CORS, Ping-Body-Limit', async () => {
    const { owner, client, heartbeat } = await heartbeatScene(hub);
    const key = await makePingKey(owner, client.id);
    const forms: Array<[string, string]> = [
      ['', 'up'],
      ['/start', 'up'],
      ['/log', 'up'],
      ['/fail', 'down'],
      ['/0', 'up'],
      ['/1', 'down'],
      ['/255', 'down'],
      ['/0', 'up'],
    ];
    let n = 0;
    for (const prefix of [`/ping/${heartbeat.id}`, `/ping/${key}/nightly`]) {
      for (const method of ['HEAD', 'GET', 'POST']) {
        for (const [suffix, status] of forms) {
          const res = await http(`${base}${prefix}${suffix}`, {
            method,
            ...(method === 'POST' ? { body: `output of ${suffix}` } : {}),
          });
          n += 1;
          expect(res.status, `${method} ${prefix}${suffix}`).toBe(200);
          expect(res.text).toBe(method === 'HEAD' ? '' : 'OK');
          expect(res.headers.get('access-control-allow-origin')).toBe('*');
          expect(res.headers.get('ping-body-limit')).toBe('10000');
          expect(res.headers.get('cache-control')).toBe(NO_CACHE);
          expect((await heartbeatRow(heartbeat.id)).status, `${method} ${prefix}${suffix}`).toBe(status);
        }
      }
    }
    const stored = await pings(heartbeat.id);
    expect(stored).toHaveLength(n);
    expect(stored.map((p) => p.action).slice(0, forms.length)).toEqual([
      'success',
      'start',
      'log',
      'fail',
      'success',
      'fail',
      'fail',
      'success',
    ]);
    expect(stored.filter((p) => p.method === 'POST')[0]).toMatchObject({
      body: 'output of ',
      source: 'http',
      remote_addr: '127.0.0.1',
    });
    expect(stored.find((p) => p.exit_status === 255)?.action).toBe('fail');
  });

  it('ignores the credentials a script may send: an unknown Bearer token or session cookie still pings', async () => {
    const { heartbeat } = await heartbeatScene(hub);
    const credentials: Record<string, string>[] = [
      { authorization: 'Bearer not-a-token' },
      { cookie: 'ah_session=not-a-session' },
    ];
    for (const headers of credentials) {
      const res = await http(`${base}/ping/${heartbeat.id}`, {
        headers: { ...headers, 'accept-encoding': 'gzip, br' },
      });
      expect(res.status).toBe(200);
      expect(res.text).toBe('OK');
      expect(res.headers.get('content-encoding')).toBeNull();
    }
    expect(await pings(heartbeat.id)).toHaveLength(2);
  });

  it('turns a failure into a state change of subject "heartbeat" with its client, site and system', async () => {
    const { heartbeat, client, site, system, owner } = await heartbeatScene(hub);
    await http(`${base}/ping/${heartbeat.id}`);
    hub.clock.advance(60_000);
    await http(`${base}/ping/${heartbeat.id}/3`);
    const changes = await db()
      .selectFrom('state_changes')
      .selectAll()
      .where('heartbeat_id', '=', heartbeat.id)
      .orderBy('at')
      .execute();
    expect(changes.map((c) => [c.from_state, c.to_state, c.reason])).toEqual([
      ['new', 'up', 'success reported'],
      ['up', 'down', 'exit status 3'],
    ]);
    expect(changes[1]).toMatchObject({
      subject_type: 'heartbeat',
      client_id: client.id,
      site_id: site.id,
      system_id: system.id,
      check_id: null,
      root_cause_id: null,
      processed_at: null,
    });
    const listed = await owner.get(`/api/state-changes?clientId=${client.id}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items[0]).toMatchObject({
      subjectType: 'heartbeat',
      subjectName: 'Nightly offsite backup',
      heartbeatId: heartbeat.id,
      to: 'down',
    });
  });

  it('gives every malformed URL its documented answer and stores nothing', async () => {
    const { owner, client, heartbeat } = await heartbeatScene(hub);
    const key = await makePingKey(owner, client.id);
    const before = await heartbeatRow(heartbeat.id);
    const cases: Array<[string, number, string]> = [
      [`/ping/${heartbeat.id}/256`, 400, 'invalid url format'],
      [`/ping/${heartbeat.id}/99999999999`, 400, 'invalid url format'],
      [`/ping/${key}/nightly/256`, 400, 'invalid url format'],
      [`/ping/${key}/Nightly`, 400, 'invalid url format'],
      [`/ping/${key}/night%20ly`, 400, 'invalid url format'],
      [`/ping/${key}/night.ly`, 400, 'invalid url format'],
      [`/ping/${heartbeat.id}?rid=not-a-uuid`, 400, 'invalid uuid format'],
      [`/ping/${key}/nightly/start?rid=123`, 400, 'invalid uuid format'],
      [`/ping/${heartbeat.id}/bogus`, 400, 'invalid url format'],
      [`/ping/${heartbeat.id.toUpperCase()}`, 404, 'not found'],
      ['/ping/not-a-uuid', 404, 'not found'],
      ['/ping/00000000-0000-4000-8000-000000000000', 404, 'not found'],
      ['/ping/00000000-0000-4000-8000-000000000000/fail', 404, 'not found'],
      [`/ping/${key}/unknown`, 404, 'not found'],
      [`/ping/${key}/unknown?create=1`, 404, 'not found'],
      [`/ping/wrongkey/nightly`, 404, 'not found'],
      [`/ping/${key}/nightly/bogus`, 404, 'not found'],
      [`/ping/${key}/nightly/start/extra`, 404, 'not found'],
      [`/ping/${heartbeat.id}/start/extra`, 404, 'not found'],
      ['/ping//', 404, 'not found'],
    ];
    for (const [path, status, text] of cases) {
      for (const method of ['GET', 'POST']) {
        const res = await http(`${base}${path}`, {
          method,
          ...(method === 'POST' ? { body: 'x', headers: { 'content-type': 'application/json' } } : {}),
        });
        expect([path, method, res.status, res.text]).toEqual([path, method, status, text]);
        expect(res.headers.get('cache-control'), `${method} ${path}`).toBe(NO_CACHE);
      }
    }
    // Broken percent-encoding is refused by Fastify itself before routing (400, JSON), still nothing stored.
    const broken = await http(`${base}/ping/%E0%A4%A`);
    expect([broken.status, broken.headers.get('cache-control')]).toEqual([400, NO_CACHE]);
    expect(await countRows(db(), 'heartbeat_pings')).toBe(0);
    expect(await countRows(db(), 'heartbeat_runs')).toBe(0);
    expect(await heartbeatRow(heartbeat.id)).toEqual(before);
  });

  it('?create=1 on an unknown slug creates the heartbeat in the ping key’s system: 201 Created, then 200', async () => {
    const { owner, client, system } = await heartbeatScene(hub);
    const key = await makePingKey(owner, client.id, system.id);
    const first = await http(`${base}/ping/${key}/db-dump?create=1`, { method: 'POST', body: 'dumped' });
    expect([first.status, first.text]).toEqual([201, 'Created']);
    const again = await http(`${base}/ping/${key}/db-dump?create=1`);
    expect([again.status, again.text]).toEqual([200, 'OK']);
    const made = await db()
      .selectFrom('heartbeats')
      .selectAll()
      .where('slug', '=', 'db-dump')
      .executeTakeFirstOrThrow();
    expect(made).toMatchObject({
      name: 'db-dump',
      system_id: system.id,
      client_id: client.id,
      status: 'up',
      n_pings: 2,
    });
    const audit = await db().selectFrom('audit_events').select('summary').where('entity_id', '=', made.id).execute();
    expect(audit[0]?.summary).toMatch(/created by its first ping/);
  });

  it('keeps the body up to the heartbeat’s limit, counts the rest, and takes any content type', async () => {
    const { owner, heartbeat } = await heartbeatScene(hub);
    const big = 'x'.repeat(20_000);
    expect(
      (
        await http(`${base}/ping/${heartbeat.id}`, {
          method: 'POST',
          body: big,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(200);
    await owner.patch(`/api/heartbeats/${heartbeat.id}`, { bodyLimit: 100 });
    const res = await http(`${base}/ping/${heartbeat.id}/log`, {
      method: 'POST',
      body: Buffer.alloc(3 * 1024 * 1024, 'y'),
      headers: { 'content-type': 'application/json' },
    });
    expect([res.status, res.headers.get('ping-body-limit')]).toEqual([200, '100']);
    await http(`${base}/ping/${heartbeat.id}/log`, {
      method: 'POST',
      body: 'nul\u0000byte',
      headers: { 'user-agent': 'u'.repeat(300) },
    });
    const stored = await pings(heartbeat.id);
    expect(stored.map((p) => [p.body.length, p.body_size])).toEqual([
      [10_000, 20_000],
      [100, 3 * 1024 * 1024],
      [8, 8],
    ]);
    expect(stored[2]!.body).toBe('nul\uFFFDbyte');
    expect(stored[2]!.user_agent).toHaveLength(200);
    const history = await owner.get(`/api/heartbeats/${heartbeat.id}/history?limit=2`);
    expect(history.body.items.map((e: { n: number }) => e.n)).toEqual([3, 2]);
    expect(history.body.nextBefore).toBe(2);
  });

  it('times overlapping runs by rid', async () => {
    const { heartbeat } = await heartbeatScene(hub);
    const a = '11111111-1111-4111-8111-111111111111';
    const b = '22222222-2222-4222-8222-222222222222';
    await http(`${base}/ping/${heartbeat.id}/start?rid=${a}`);
    hub.clock.advance(10_000);
    await http(`${base}/ping/${heartbeat.id}/start?rid=${b}`);
    hub.clock.advance(20_000);
    await http(`${base}/ping/${heartbeat.id}?rid=${b}`);
    let row = await heartbeatRow(heartbeat.id);
    expect([row.last_duration_ms, row.running_since]).toEqual([20_000, '2026-11-20T17:00:00.000Z']);
    hub.clock.advance(30_000);
    await http(`${base}/ping/${heartbeat.id}/0?rid=${a.toUpperCase()}`);
    row = await heartbeatRow(heartbeat.id);
    expect([row.last_duration_ms, row.running_since, row.status]).toEqual([60_000, null, 'up']);
    expect((await pings(heartbeat.id)).map((p) => p.duration_ms)).toEqual([null, null, 20_000, 60_000]);
    // A finish more than 72 hours after its start is not timed.
    await http(`${base}/ping/${heartbeat.id}/start?rid=${a}`);
    hub.clock.advance(73 * 3600_000);
    await http(`${base}/ping/${heartbeat.id}?rid=${a}`);
    expect((await heartbeatRow(heartbeat.id)).last_duration_ms).toBeNull();
  });

  it('lets keywords in the body decide', async () => {
    const { heartbeat } = await heartbeatScene(hub, {
      keywords: { success: ['Backup completed'], failure: ['ERROR'], start: ['Starting'] },
    });
    const post = (body: string) => http(`${base}/ping/${heartbeat.id}`, { method: 'POST', body });
    await post('Starting backup');
    expect((await heartbeatRow(heartbeat.id)).running_since).not.toBeNull();
    await post('Backup completed with ERROR in 3 files');
    expect((await heartbeatRow(heartbeat.id)).status).toBe('down');
    await post('Backup completed');
    expect((await heartbeatRow(heartbeat.id)).status).toBe('up');
    await post('nothing to see');
    expect((await pings(heartbeat.id)).map((p) => p.action)).toEqual(['start', 'fail', 'success', 'ignore']);
  });

  it('limits pings per heartbeat and per source with 429', async () => {
    await hub.close();
    hub = await createTestHub(dialect, {
      heartbeats: {
        ...(await import('../../domain/heartbeats/settings.js')).DEFAULT_HEARTBEAT_SETTINGS,
        burstPerHeartbeat: 3,
        burstPerSource: 5,
      },
    });
    base = await listen(hub);
    const { heartbeat, owner, system } = await heartbeatScene(hub);
    const other = await owner.post('/api/heartbeats', { systemId: system.id, name: 'Other' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await http(`${base}/ping/${heartbeat.id}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const res = await http(`${base}/ping/${other.body.id}`);
    expect(res.status).toBe(200); // the fifth from this source
    const flooded = await http(`${base}/ping/${other.body.id}`);
    expect([flooded.status, flooded.text, flooded.headers.get('retry-after')]).toEqual([429, 'rate limited', '1']);
    expect(flooded.headers.get('cache-control')).toBe(NO_CACHE);
    expect(await countRows(hub.ctx.db.kysely, 'heartbeat_pings')).toBe(4);
    hub.clock.advance(10_000);
    expect((await http(`${base}/ping/${heartbeat.id}`)).status).toBe(200);
  });
});
