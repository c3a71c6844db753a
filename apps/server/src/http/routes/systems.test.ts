import type { ChangeEvent } from '@afterhours/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import {
  countRows,
  insertClientWithSystem,
  insertDependency,
  insertSite,
  insertSystem,
  signedInAs,
  systemBody,
} from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const MISSING = '00000000-0000-4000-8000-000000000000';
const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((s) => s.name);

forEachDatabase('systems API', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());

  it('adds a system with dependencies and shows them both ways', async () => {
    const { client, site, system: host } = await insertClientWithSystem(hub.ctx.db.kysely, 'Acme');
    const ups = await insertSystem(hub.ctx.db.kysely, site, { name: 'UPS', kind: 'ups' });
    const created = await owner.post('/api/systems', {
      siteId: site.id,
      name: 'Mail VM',
      kind: 'virtual_machine',
      host: 'MAIL.acme.lan',
      criticality: 'high',
      dependsOn: [ups.id, host.id],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      siteId: site.id,
      clientId: client.id,
      siteName: 'Acme office',
      clientName: 'Acme',
      name: 'Mail VM',
      kind: 'virtual_machine',
      host: 'MAIL.acme.lan',
      criticality: 'high',
      notes: '',
      archivedAt: null,
      dependsOn: [
        { id: host.id, name: 'Acme server' },
        { id: ups.id, name: 'UPS' },
      ],
      dependents: [],
    });
    expect((await owner.get(`/api/systems/${created.body.id}`)).body).toEqual(created.body);
    expect((await owner.get(`/api/systems/${ups.id}`)).body.dependents).toEqual([
      { id: created.body.id, name: 'Mail VM' },
    ]);
    expect((await owner.get(`/api/sites/${site.id}`)).body.systemCount).toBe(3);
  });

  it('replaces dependencies on update, and clears them with an empty list', async () => {
    const { site, system: a } = await insertClientWithSystem(hub.ctx.db.kysely, 'Acme');
    const b = await insertSystem(hub.ctx.db.kysely, site, { name: 'B' });
    const c = await insertSystem(hub.ctx.db.kysely, site, { name: 'C' });
    await insertDependency(hub.ctx.db.kysely, a, b);
    const replaced = await owner.patch(`/api/systems/${a.id}`, { dependsOn: [c.id] });
    expect(replaced.status).toBe(200);
    expect(replaced.body.dependsOn).toEqual([{ id: c.id, name: 'C' }]);
    expect((await owner.get(`/api/systems/${b.id}`)).body.dependents).toEqual([]);
    const renamed = await owner.patch(`/api/systems/${a.id}`, { name: 'A renamed' });
    expect(renamed.body.dependsOn).toEqual([{ id: c.id, name: 'C' }]);
    expect((await owner.patch(`/api/systems/${a.id}`, { dependsOn: [] })).body.dependsOn).toEqual([]);
    expect(await countRows(hub.ctx.db.kysely, 'system_dependencies')).toBe(0);
  });

  it('refuses a dependency cycle of three systems, naming it', async () => {
    const db = hub.ctx.db.kysely;
    const { site } = await insertClientWithSystem(db, 'Acme');
    const mail = await insertSystem(db, site, { name: 'Mail server' });
    const firewall = await insertSystem(db, site, { name: 'Firewall' });
    const line = await insertSystem(db, site, { name: 'Internet line' });
    expect((await owner.patch(`/api/systems/${mail.id}`, { dependsOn: [firewall.id] })).status).toBe(200);
    expect((await owner.patch(`/api/systems/${firewall.id}`, { dependsOn: [line.id] })).status).toBe(200);

    const res = await owner.patch(`/api/systems/${line.id}`, { dependsOn: [mail.id], name: 'Fibre line' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('dependency_cycle');
    expect(res.body.error.message).toContain('Internet line → Mail server → Firewall → Internet line');
    expect(res.body.error.fields).toHaveProperty('dependsOn');
    expect((await owner.get(`/api/systems/${line.id}`)).body).toMatchObject({ name: 'Internet line', dependsOn: [] });
    expect(await countRows(db, 'system_dependencies')).toBe(2);
  });

  it('refuses a two-system cycle', async () => {
    const { site, system: a } = await insertClientWithSystem(hub.ctx.db.kysely, 'Acme');
    const b = await insertSystem(hub.ctx.db.kysely, site, { name: 'Firewall' });
    await insertDependency(hub.ctx.db.kysely, a, b);
    const res = await owner.patch(`/api/systems/${b.id}`, { dependsOn: [a.id] });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('Firewall → Acme server → Firewall');
  });

  it('lists with filters, search on name and host, and keyset pages', async () => {
    const db = hub.ctx.db.kysely;
    const { client, site } = await insertClientWithSystem(db, 'Acme');
    const branch = await insertSite(db, client, { name: 'Branch' });
    await insertSystem(db, site, { name: 'DC01', host: 'dc01.ACME.lan', kind: 'server', criticality: 'critical' });
    await insertSystem(db, branch, { name: 'NAS', host: '10.0.0.5', kind: 'nas' });
    await insertSystem(db, branch, { name: 'Old NAS', kind: 'nas', archived_at: '2026-01-01T00:00:00.000Z' });
    const other = await insertClientWithSystem(db, 'Other');

    expect((await owner.get('/api/systems')).body.total).toBe(4);
    expect(names(await owner.get(`/api/systems?clientId=${client.id}`))).toEqual(['Acme server', 'DC01', 'NAS']);
    expect(names(await owner.get(`/api/systems?siteId=${branch.id}`))).toEqual(['NAS']);
    expect(names(await owner.get(`/api/systems?siteId=${branch.id}&archived=all`))).toEqual(['NAS', 'Old NAS']);
    expect(names(await owner.get('/api/systems?kind=nas'))).toEqual(['NAS']);
    expect(names(await owner.get('/api/systems?criticality=critical'))).toEqual(['DC01']);
    expect(names(await owner.get('/api/systems?q=acme.LAN'))).toEqual(['DC01']);
    expect(names(await owner.get('/api/systems?q=10.0.0'))).toEqual(['NAS']);
    expect(names(await owner.get('/api/systems?q=server'))).toEqual(['Acme server', 'Other server']);
    expect(names(await owner.get(`/api/systems?q=server&clientId=${other.client.id}`))).toEqual(['Other server']);

    const first = await owner.get('/api/systems?limit=3');
    expect(names(first)).toEqual(['Acme server', 'DC01', 'NAS']);
    const second = await owner.get(`/api/systems?limit=3&cursor=${first.body.nextCursor}`);
    expect(names(second)).toEqual(['Other server']);
    expect(second.body).toMatchObject({ nextCursor: null, total: 4 });
  });

  it('archives, restores and deletes a system, dropping its links', async () => {
    const db = hub.ctx.db.kysely;
    const { site, system: host } = await insertClientWithSystem(db, 'Acme');
    const vm = await insertSystem(db, site, { name: 'VM' });
    await insertDependency(db, vm, host);
    const archived = await owner.patch(`/api/systems/${host.id}`, { archived: true });
    expect(archived.body).toMatchObject({
      archivedAt: '2026-11-20T17:00:00.000Z',
      dependents: [{ id: vm.id, name: 'VM' }],
    });
    expect((await owner.get(`/api/sites/${site.id}`)).body.systemCount).toBe(1);
    expect((await owner.patch(`/api/systems/${host.id}`, { archived: false })).body.archivedAt).toBeNull();
    expect((await owner.delete(`/api/systems/${host.id}`)).status).toBe(200);
    expect((await owner.get(`/api/systems/${host.id}`)).status).toBe(404);
    expect((await owner.get(`/api/systems/${vm.id}`)).body.dependsOn).toEqual([]);
    expect(await countRows(db, 'system_dependencies')).toBe(0);
  });

  it('audits writes and publishes change events', async () => {
    const { client, site, system: host } = await insertClientWithSystem(hub.ctx.db.kysely, 'Acme');
    const events: ChangeEvent[] = [];
    hub.ctx.bus.subscribe((e) => events.push(e));
    const { body: vm } = await owner.post('/api/systems', systemBody(site.id, { name: 'VM', dependsOn: [host.id] }));
    await owner.patch(`/api/systems/${vm.id}`, { dependsOn: [] });
    await owner.patch(`/api/systems/${vm.id}`, { dependsOn: [] }); // nothing changes: no audit, no event
    await owner.delete(`/api/systems/${vm.id}`);
    const audit = await hub.ctx.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_type', '=', 'system')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['system.create', 'system.delete', 'system.update']);
    expect(audit.every((a) => a.entity_id === vm.id && a.client_id === client.id)).toBe(true);
    const update = audit.find((a) => a.action === 'system.update')!;
    expect(JSON.parse(update.before_json!).dependsOn).toEqual([host.id]);
    expect(JSON.parse(update.after_json!).dependsOn).toEqual([]);
    expect(events.map((e) => `${e.entity}:${e.action}:${e.id}:${e.clientId}`)).toEqual(
      ['created', 'updated', 'deleted'].map((action) => `system:${action}:${vm.id}:${client.id}`),
    );
  });

  describe('bad input', () => {
    interface Scene {
      siteId: string;
      systemId: string;
      otherClientSystemId: string;
    }
    type Case = {
      title: string;
      method: 'post' | 'patch' | 'get' | 'delete';
      url: string;
      body?: (s: Scene) => unknown;
      status: number;
      field?: string;
      mentions?: (s: Scene) => string;
    };
    const create =
      (overrides: (s: Scene) => Record<string, unknown> = () => ({})) =>
      (s: Scene) => ({ siteId: s.siteId, name: 'New', kind: 'server', ...overrides(s) });
    const cases: Case[] = [
      {
        title: 'missing name',
        method: 'post',
        url: '/api/systems',
        body: (s) => ({ siteId: s.siteId, kind: 'server' }),
        status: 400,
        field: 'name',
      },
      {
        title: 'missing kind',
        method: 'post',
        url: '/api/systems',
        body: (s) => ({ siteId: s.siteId, name: 'X' }),
        status: 400,
        field: 'kind',
      },
      {
        title: 'missing site',
        method: 'post',
        url: '/api/systems',
        body: () => ({ name: 'X', kind: 'server' }),
        status: 400,
        field: 'siteId',
      },
      {
        title: 'bad kind',
        method: 'post',
        url: '/api/systems',
        body: create(() => ({ kind: 'toaster' })),
        status: 400,
        field: 'kind',
      },
      {
        title: 'bad criticality',
        method: 'post',
        url: '/api/systems',
        body: create(() => ({ criticality: 'meh' })),
        status: 400,
        field: 'criticality',
      },
      {
        title: 'host with spaces',
        method: 'post',
        url: '/api/systems',
        body: create(() => ({ host: 'my server' })),
        status: 400,
        field: 'host',
      },
      {
        title: 'over-long host',
        method: 'post',
        url: '/api/systems',
        body: create(() => ({ host: 'h'.repeat(256) })),
        status: 400,
        field: 'host',
      },
      {
        title: 'over-long name',
        method: 'post',
        url: '/api/systems',
        body: create(() => ({ name: 'n'.repeat(201) })),
        status: 400,
        field: 'name',
      },
      {
        title: 'NUL character in the notes',
        method: 'post',
        url: '/api/systems',
        body: create(() => ({ notes: 'x\u0000' })),
        status: 400,
        field: 'notes',
      },
      { title: 'NUL character in the search', method: 'get', url: '/api/systems?q=%00', status: 400, field: 'q' },
      {
        title: 'name of the wrong type',
        method: 'post',
        url: '/api/systems',
        body: create(() => ({ name: { first: 'x' } })),
        status: 400,
        field: 'name',
      },
      {
        title: 'dependsOn not a list',
        method: 'post',
        url: '/api/systems',
        body: create((s) => ({ dependsOn: s.systemId })),
        status: 400,
        field: 'dependsOn',
      },
      {
        title: 'malformed dependency id',
        method: 'post',
        url: '/api/systems',
        body: create(() => ({ dependsOn: ['sys-1'] })),
        status: 400,
        field: 'dependsOn.0',
      },
      {
        title: 'the same dependency twice',
        method: 'post',
        url: '/api/systems',
        body: create((s) => ({ dependsOn: [s.systemId, s.systemId] })),
        status: 400,
        field: 'dependsOn',
      },
      {
        title: 'unknown dependency',
        method: 'post',
        url: '/api/systems',
        body: create((s) => ({ dependsOn: [s.systemId, MISSING] })),
        status: 400,
        field: 'dependsOn.1',
        mentions: () => MISSING,
      },
      {
        title: 'dependency on another client’s system',
        method: 'post',
        url: '/api/systems',
        body: create((s) => ({ dependsOn: [s.otherClientSystemId] })),
        status: 400,
        field: 'dependsOn.0',
        mentions: (s) => s.otherClientSystemId,
      },
      {
        title: 'unknown site',
        method: 'post',
        url: '/api/systems',
        body: create(() => ({ siteId: MISSING })),
        status: 400,
        field: 'siteId',
      },
      {
        title: 'malformed site id',
        method: 'post',
        url: '/api/systems',
        body: create(() => ({ siteId: 'office' })),
        status: 400,
        field: 'siteId',
      },
      {
        title: 'unknown field',
        method: 'post',
        url: '/api/systems',
        body: create(() => ({ ip: '10.0.0.1' })),
        status: 400,
        field: 'ip',
      },
      {
        title: 'update depending on itself',
        method: 'patch',
        url: 'system',
        body: (s) => ({ dependsOn: [s.systemId] }),
        status: 400,
        field: 'dependsOn.0',
      },
      {
        title: 'update depending on another client’s system',
        method: 'patch',
        url: 'system',
        body: (s) => ({ dependsOn: [s.otherClientSystemId] }),
        status: 400,
        field: 'dependsOn.0',
        mentions: (s) => s.otherClientSystemId,
      },
      {
        title: 'update depending on an unknown system',
        method: 'patch',
        url: 'system',
        body: () => ({ dependsOn: [MISSING] }),
        status: 400,
        field: 'dependsOn.0',
      },
      {
        title: 'update moving to another site',
        method: 'patch',
        url: 'system',
        body: (s) => ({ siteId: s.siteId }),
        status: 400,
        field: 'siteId',
      },
      {
        title: 'update with a bad kind',
        method: 'patch',
        url: 'system',
        body: () => ({ kind: 'SERVER' }),
        status: 400,
        field: 'kind',
      },
      {
        title: 'update of an unknown system',
        method: 'patch',
        url: `/api/systems/${MISSING}`,
        body: () => ({ name: 'X' }),
        status: 404,
      },
      { title: 'read of an unknown system', method: 'get', url: `/api/systems/${MISSING}`, status: 404 },
      { title: 'delete of an unknown system', method: 'delete', url: `/api/systems/${MISSING}`, status: 404 },
      { title: 'malformed system id', method: 'get', url: '/api/systems/1', status: 400, field: 'id' },
      { title: 'list with a bad kind', method: 'get', url: '/api/systems?kind=toaster', status: 400, field: 'kind' },
      {
        title: 'list with a bad criticality',
        method: 'get',
        url: '/api/systems?criticality=extreme',
        status: 400,
        field: 'criticality',
      },
      {
        title: 'list with a malformed site filter',
        method: 'get',
        url: '/api/systems?siteId=office',
        status: 400,
        field: 'siteId',
      },
      {
        title: 'list with a bad cursor',
        method: 'get',
        url: '/api/systems?cursor=bm90IGpzb24',
        status: 400,
        field: 'cursor',
      },
    ];

    it.each(cases)('$title → $status', async ({ method, url, body, status, field, mentions }) => {
      const db = hub.ctx.db.kysely;
      const { site, system } = await insertClientWithSystem(db, 'Steady');
      const other = await insertClientWithSystem(db, 'Other');
      const scene: Scene = { siteId: site.id, systemId: system.id, otherClientSystemId: other.system.id };
      const before = await owner.get(`/api/systems/${system.id}`);
      const target = url === 'system' ? `/api/systems/${system.id}` : url;
      const res = await (method === 'post' || method === 'patch'
        ? owner[method](target, body!(scene))
        : owner[method](target));
      expect(res.status).toBe(status);
      if (field) expect(Object.keys(res.body.error.fields ?? {})).toContain(field);
      if (mentions) expect(res.body.error.fields[field!]).toContain(mentions(scene));
      expect(await countRows(db, 'systems')).toBe(2);
      expect(await countRows(db, 'system_dependencies')).toBe(0);
      expect((await owner.get(`/api/systems/${system.id}`)).body).toEqual(before.body);
    });
  });

  describe('roles', () => {
    it('lets a client user read only their own systems, and change none', async () => {
      const db = hub.ctx.db.kysely;
      const mine = await insertClientWithSystem(db, 'Mine');
      const theirs = await insertClientWithSystem(db, 'Theirs');
      const user = await signedInAs(hub, 'client', mine.client.id);

      expect(names(await user.get('/api/systems?archived=all'))).toEqual(['Mine server']);
      expect((await user.get(`/api/systems?clientId=${theirs.client.id}`)).body.total).toBe(0);
      expect((await user.get(`/api/systems?siteId=${theirs.site.id}`)).body.total).toBe(0);
      expect((await user.get('/api/systems?q=server')).body.total).toBe(1);
      expect((await user.get(`/api/systems/${mine.system.id}`)).status).toBe(200);
      expect((await user.get(`/api/systems/${theirs.system.id}`)).status).toBe(404);

      for (const site of [mine.site, theirs.site])
        expect((await user.post('/api/systems', systemBody(site.id))).status).toBe(403);
      for (const system of [mine.system, theirs.system]) {
        expect((await user.patch(`/api/systems/${system.id}`, { name: 'Changed' })).status).toBe(403);
        expect((await user.delete(`/api/systems/${system.id}`)).status).toBe(403);
      }
      expect(await countRows(db, 'systems')).toBe(2);
      expect((await owner.get(`/api/systems/${theirs.system.id}`)).body.name).toBe('Theirs server');
    });

    it('lets a technician write', async () => {
      const { site, system } = await insertClientWithSystem(hub.ctx.db.kysely, 'Acme');
      const tech = await signedInAs(hub, 'technician');
      const created = await tech.post('/api/systems', systemBody(site.id, { dependsOn: [system.id] }));
      expect(created.status).toBe(201);
      expect((await tech.patch(`/api/systems/${created.body.id}`, { criticality: 'low' })).status).toBe(200);
      expect((await tech.delete(`/api/systems/${created.body.id}`)).status).toBe(200);
    });
  });
});
