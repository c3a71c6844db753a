import { afterEach, beforeEach, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import {
  clientRow,
  insertClient,
  insertMany,
  insertSite,
  insertSystem,
  signedInAs,
  siteRow,
  systemRow,
} from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const ARCHIVED = '2026-01-01T00:00:00.000Z';

forEachDatabase('overview API', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());

  it('answers each live client’s support hours and response target, and nothing the Now screen does not read', async () => {
    const db = hub.ctx.db.kysely;
    const windows = ['mon', 'tue'].map((day) => ({ day, start: '08:00', end: '18:00' }));
    const office = {
      supportHours: { kind: 'weekly', timeZone: 'Europe/Paris', windows },
      responseTargetMinutes: 30,
      resolveTargetMinutes: 480,
      paging: { withinHours: 'normal', outsideHours: 'critical' },
    };
    const bravo = await insertClient(db, { name: 'Bravo', contract_json: JSON.stringify(office) });
    const acme = await insertClient(db, { name: 'Acme' });
    await insertSystem(db, await insertSite(db, acme, { name: 'HQ' }));
    const gone = await insertClient(db, { name: 'Gone', archived_at: ARCHIVED });
    await insertSystem(db, await insertSite(db, gone));

    const res = await owner.get('/api/overview');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      clients: [
        { id: acme.id, contract: { supportHours: { kind: 'always' }, responseTargetMinutes: 60 } },
        { id: bravo.id, contract: { supportHours: office.supportHours, responseTargetMinutes: 30 } },
      ],
    });
  });

  it('shows a client user only their own firm', async () => {
    const db = hub.ctx.db.kysely;
    const mine = await insertClient(db, { name: 'Mine' });
    await insertClient(db, { name: 'Theirs' });
    const user = await signedInAs(hub, 'client', mine.id);
    const res = await user.get('/api/overview');
    expect(res.body.clients.map((c: { id: string }) => c.id)).toEqual([mine.id]);
  });

  it('documents the register routes, and every other API route, in the OpenAPI schema with a tag and a summary', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths as Record<string, Record<string, { tags?: string[]; summary?: string }>>;
    const operations = Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, ...op })),
    );
    expect(operations.map((op) => op.route)).toEqual(
      expect.arrayContaining([
        'GET /api/clients',
        'POST /api/clients',
        'GET /api/clients/{id}',
        'PATCH /api/clients/{id}',
        'DELETE /api/clients/{id}',
        'GET /api/clients/{id}/contacts',
        'POST /api/clients/{id}/contacts',
        'GET /api/contacts/{id}',
        'PATCH /api/contacts/{id}',
        'DELETE /api/contacts/{id}',
        'GET /api/sites',
        'POST /api/sites',
        'GET /api/sites/{id}',
        'PATCH /api/sites/{id}',
        'DELETE /api/sites/{id}',
        'GET /api/systems',
        'POST /api/systems',
        'GET /api/systems/{id}',
        'PATCH /api/systems/{id}',
        'DELETE /api/systems/{id}',
        'GET /api/overview',
      ]),
    );
    for (const op of operations) {
      expect(op.tags?.length, op.route).toBeGreaterThan(0);
      expect(op.summary, op.route).toBeTruthy();
    }
  });

  it('needs a signed-in user', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/api/overview' });
    expect(res.statusCode).toBe(401);
  });

  it('answers for 200 clients and 5,000 systems with the right counts', async () => {
    const db = hub.ctx.db.kysely;
    const clients = Array.from({ length: 200 }, (_, i) => clientRow({ name: `Client ${String(i).padStart(3, '0')}` }));
    const sites = clients.flatMap((client, i) => [
      siteRow(client, { name: `Office ${i}a` }),
      siteRow(client, { name: `Office ${i}b` }),
    ]);
    const systems = Array.from({ length: 5000 }, (_, i) => {
      const site = sites[i % sites.length]!;
      return systemRow(site, {
        name: `sys-${String(i).padStart(4, '0')}`,
        host: `host${i}.example.lan`,
        archived_at: i % 100 === 99 ? ARCHIVED : null,
      });
    });
    await insertMany(db, 'clients', clients);
    await insertMany(db, 'sites', sites);
    await insertMany(db, 'systems', systems);

    const overview = await owner.get('/api/overview');
    expect(overview.status).toBe(200);
    expect(overview.body.clients).toHaveLength(200);
    const listed = await owner.get(`/api/clients/${clients[0]!.id}`);
    const expected = systems.filter((s) => s.client_id === clients[0]!.id && !s.archived_at).length;
    expect(listed.body).toMatchObject({ siteCount: 2, systemCount: expected });

    // sys-4900 … sys-4999, less sys-4999, archived like every name ending in 99.
    const search = await owner.get('/api/systems?q=sys-49&limit=500');
    expect(search.body.total).toBe(99);
    expect(search.body.items).toHaveLength(99);
    expect(search.body.items[0].name).toBe('sys-4900');
    expect((await owner.get('/api/systems?q=host123.&archived=all')).body.total).toBe(1);
    expect((await owner.get('/api/systems?limit=1')).body.total).toBe(4950);
    expect((await owner.get('/api/clients?q=client 1')).body.total).toBe(100);
  });
});
