import type { ChangeEvent } from '@afterhours/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import {
  countRows,
  insertClient,
  insertClientWithSystem,
  insertDependency,
  insertSite,
  insertSystem,
  signedInAs,
  siteBody,
} from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const MISSING = '00000000-0000-4000-8000-000000000000';
const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((s) => s.name);

forEachDatabase('sites API', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());

  it('adds a site to a client and reads it back', async () => {
    const client = await insertClient(hub.ctx.db.kysely, { name: 'Harbour Dental' });
    const created = await owner.post('/api/sites', {
      clientId: client.id,
      name: 'Main office',
      timeZone: 'Europe/Dublin',
      address: '1 Quay St',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      clientId: client.id,
      clientName: 'Harbour Dental',
      name: 'Main office',
      timeZone: 'Europe/Dublin',
      address: '1 Quay St',
      notes: '',
      archivedAt: null,
      systemCount: 0,
    });
    expect((await owner.get(`/api/sites/${created.body.id}`)).body).toEqual(created.body);
    expect((await owner.get(`/api/clients/${client.id}`)).body.siteCount).toBe(1);
  });

  it('refuses a site for an archived client, and a system for an archived site, until restored', async () => {
    const client = await insertClient(hub.ctx.db.kysely, { name: 'Gone Ltd', archived_at: '2026-01-01T00:00:00.000Z' });
    const refused = await owner.post('/api/sites', siteBody(client.id));
    expect(refused.status).toBe(409);
    expect(refused.body.error.fields).toEqual({ clientId: 'is archived' });
    expect(await countRows(hub.ctx.db.kysely, 'sites')).toBe(0);
    expect((await owner.patch(`/api/clients/${client.id}`, { archived: false })).status).toBe(200);
    const site = await owner.post('/api/sites', siteBody(client.id));
    expect(site.status).toBe(201);
    expect((await owner.patch(`/api/sites/${site.body.id}`, { archived: true })).status).toBe(200);
    const system = await owner.post('/api/systems', { siteId: site.body.id, name: 'NAS', kind: 'nas' });
    expect(system.status).toBe(409);
    expect(system.body.error.message).toMatch(/archived; restore it/);
  });

  it('lists with client filter, search, archive filter and keyset pages', async () => {
    const db = hub.ctx.db.kysely;
    const a = await insertClient(db, { name: 'A' });
    const b = await insertClient(db, { name: 'B' });
    for (const name of ['North office', 'South office', 'Warehouse']) await insertSite(db, a, { name });
    await insertSite(db, a, { name: 'Old office', archived_at: '2026-01-01T00:00:00.000Z' });
    await insertSite(db, b, { name: 'East office' });

    expect(names(await owner.get('/api/sites'))).toEqual(['East office', 'North office', 'South office', 'Warehouse']);
    expect(names(await owner.get(`/api/sites?clientId=${a.id}`))).toEqual([
      'North office',
      'South office',
      'Warehouse',
    ]);
    expect(names(await owner.get(`/api/sites?clientId=${a.id}&q=OFFICE`))).toEqual(['North office', 'South office']);
    expect(names(await owner.get(`/api/sites?clientId=${a.id}&archived=true`))).toEqual(['Old office']);
    expect((await owner.get(`/api/sites?archived=all`)).body.total).toBe(5);

    const first = await owner.get('/api/sites?archived=all&limit=3');
    expect(names(first)).toEqual(['East office', 'North office', 'Old office']);
    const second = await owner.get(`/api/sites?archived=all&limit=3&cursor=${first.body.nextCursor}`);
    expect(names(second)).toEqual(['South office', 'Warehouse']);
    expect(second.body).toMatchObject({ nextCursor: null, total: 5 });
  });

  it('changes, archives and restores a site', async () => {
    const { site } = await insertClientWithSystem(hub.ctx.db.kysely, 'Acme');
    hub.clock.advance(1000);
    const changed = await owner.patch(`/api/sites/${site.id}`, {
      name: 'HQ',
      timeZone: 'America/New_York',
      notes: 'Alarm code with the client',
    });
    expect(changed.body).toMatchObject({
      name: 'HQ',
      timeZone: 'America/New_York',
      systemCount: 1,
      updatedAt: '2026-11-20T17:00:01.000Z',
    });
    const archived = await owner.patch(`/api/sites/${site.id}`, { archived: true });
    expect(archived.body.archivedAt).toBe('2026-11-20T17:00:01.000Z');
    expect((await owner.get(`/api/clients/${site.client_id}`)).body).toMatchObject({ siteCount: 0, systemCount: 0 });
    expect((await owner.patch(`/api/sites/${site.id}`, { archived: false })).body.archivedAt).toBeNull();
    expect((await owner.get(`/api/clients/${site.client_id}`)).body).toMatchObject({ siteCount: 1, systemCount: 1 });
  });

  it('deletes a site with its systems and their dependency links', async () => {
    const db = hub.ctx.db.kysely;
    const { client, site, system } = await insertClientWithSystem(db, 'Acme');
    const other = await insertSite(db, client, { name: 'Branch' });
    const survivor = await insertSystem(db, other, { name: 'Branch PC' });
    await insertDependency(db, survivor, system);

    expect((await owner.delete(`/api/sites/${site.id}`)).status).toBe(200);
    expect((await owner.get(`/api/sites/${site.id}`)).status).toBe(404);
    expect(await countRows(db, 'systems')).toBe(1);
    expect(await countRows(db, 'system_dependencies')).toBe(0);
    expect((await owner.get(`/api/systems/${survivor.id}`)).body.dependsOn).toEqual([]);
  });

  it('audits writes and publishes change events', async () => {
    const client = await insertClient(hub.ctx.db.kysely);
    const events: ChangeEvent[] = [];
    hub.ctx.bus.subscribe((e) => events.push(e));
    const { body: site } = await owner.post('/api/sites', siteBody(client.id, { name: 'Audited' }));
    await owner.patch(`/api/sites/${site.id}`, { archived: true });
    await owner.delete(`/api/sites/${site.id}`);
    const audit = await hub.ctx.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_type', '=', 'site')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['site.archive', 'site.create', 'site.delete']);
    expect(audit.every((a) => a.entity_id === site.id && a.client_id === client.id)).toBe(true);
    const archive = audit.find((a) => a.action === 'site.archive')!;
    expect(JSON.parse(archive.before_json!).archivedAt).toBeNull();
    expect(JSON.parse(archive.after_json!).archivedAt).toBe('2026-11-20T17:00:00.000Z');
    expect(events.map((e) => `${e.entity}:${e.action}:${e.id}:${e.clientId}`)).toEqual(
      ['created', 'updated', 'deleted'].map((action) => `site:${action}:${site.id}:${client.id}`),
    );
  });

  describe('bad input', () => {
    type Case = {
      title: string;
      method: 'post' | 'patch' | 'get' | 'delete';
      url: string;
      body?: (clientId: string) => unknown;
      status: number;
      field?: string;
    };
    const create = (overrides: Record<string, unknown>) => (clientId: string) => ({
      clientId,
      name: 'New',
      timeZone: 'UTC',
      ...overrides,
    });
    const cases: Case[] = [
      {
        title: 'missing name',
        method: 'post',
        url: '/api/sites',
        body: (clientId) => ({ clientId, timeZone: 'UTC' }),
        status: 400,
        field: 'name',
      },
      {
        title: 'missing time zone',
        method: 'post',
        url: '/api/sites',
        body: (clientId) => ({ clientId, name: 'X' }),
        status: 400,
        field: 'timeZone',
      },
      {
        title: 'missing client',
        method: 'post',
        url: '/api/sites',
        body: () => ({ name: 'X', timeZone: 'UTC' }),
        status: 400,
        field: 'clientId',
      },
      {
        title: 'bad time zone',
        method: 'post',
        url: '/api/sites',
        body: create({ timeZone: 'Europe/Atlantis' }),
        status: 400,
        field: 'timeZone',
      },
      {
        title: 'name of the wrong type',
        method: 'post',
        url: '/api/sites',
        body: create({ name: 7 }),
        status: 400,
        field: 'name',
      },
      {
        title: 'over-long name',
        method: 'post',
        url: '/api/sites',
        body: create({ name: 'n'.repeat(201) }),
        status: 400,
        field: 'name',
      },
      {
        title: 'over-long address',
        method: 'post',
        url: '/api/sites',
        body: create({ address: 'a'.repeat(501) }),
        status: 400,
        field: 'address',
      },
      {
        title: 'NUL character in the address',
        method: 'post',
        url: '/api/sites',
        body: create({ address: '1 High St\u0000' }),
        status: 400,
        field: 'address',
      },
      {
        title: 'unknown client',
        method: 'post',
        url: '/api/sites',
        body: create({ clientId: MISSING }),
        status: 400,
        field: 'clientId',
      },
      {
        title: 'malformed client id',
        method: 'post',
        url: '/api/sites',
        body: create({ clientId: 'acme' }),
        status: 400,
        field: 'clientId',
      },
      {
        title: 'unknown field',
        method: 'post',
        url: '/api/sites',
        body: create({ agentKey: 'x' }),
        status: 400,
        field: 'agentKey',
      },
      {
        title: 'update with a bad time zone',
        method: 'patch',
        url: 'site',
        body: () => ({ timeZone: 'GMT+25' }),
        status: 400,
        field: 'timeZone',
      },
      {
        title: 'update moving to another client',
        method: 'patch',
        url: 'site',
        body: () => ({ clientId: MISSING }),
        status: 400,
        field: 'clientId',
      },
      {
        title: 'update with archived of the wrong type',
        method: 'patch',
        url: 'site',
        body: () => ({ archived: 1 }),
        status: 400,
        field: 'archived',
      },
      {
        title: 'update of an unknown site',
        method: 'patch',
        url: `/api/sites/${MISSING}`,
        body: () => ({ name: 'X' }),
        status: 404,
      },
      { title: 'read of an unknown site', method: 'get', url: `/api/sites/${MISSING}`, status: 404 },
      { title: 'delete of an unknown site', method: 'delete', url: `/api/sites/${MISSING}`, status: 404 },
      { title: 'malformed site id', method: 'get', url: '/api/sites/site-1', status: 400, field: 'id' },
      {
        title: 'list with a malformed client filter',
        method: 'get',
        url: '/api/sites?clientId=acme',
        status: 400,
        field: 'clientId',
      },
      { title: 'list with a bad cursor', method: 'get', url: '/api/sites?cursor=%%%', status: 400, field: 'cursor' },
      {
        title: 'list with an over-long search',
        method: 'get',
        url: `/api/sites?q=${'q'.repeat(201)}`,
        status: 400,
        field: 'q',
      },
    ];

    it.each(cases)('$title → $status', async ({ method, url, body, status, field }) => {
      const { client, site } = await insertClientWithSystem(hub.ctx.db.kysely, 'Steady');
      const before = await owner.get(`/api/sites/${site.id}`);
      const target = url === 'site' ? `/api/sites/${site.id}` : url;
      const res = await (method === 'post' || method === 'patch'
        ? owner[method](target, body!(client.id))
        : owner[method](target));
      expect(res.status).toBe(status);
      if (field) expect(Object.keys(res.body.error.fields ?? {})).toContain(field);
      expect(await countRows(hub.ctx.db.kysely, 'sites')).toBe(1);
      expect((await owner.get(`/api/sites/${site.id}`)).body).toEqual(before.body);
    });
  });

  describe('roles', () => {
    it('lets a client user read only their own sites, and change none', async () => {
      const db = hub.ctx.db.kysely;
      const mine = await insertClientWithSystem(db, 'Mine');
      const theirs = await insertClientWithSystem(db, 'Theirs');
      const user = await signedInAs(hub, 'client', mine.client.id);

      expect(names(await user.get('/api/sites?archived=all'))).toEqual(['Mine office']);
      expect((await user.get(`/api/sites?clientId=${theirs.client.id}`)).body).toMatchObject({ items: [], total: 0 });
      expect((await user.get(`/api/sites/${mine.site.id}`)).status).toBe(200);
      expect((await user.get(`/api/sites/${theirs.site.id}`)).status).toBe(404);

      for (const client of [mine.client, theirs.client])
        expect((await user.post('/api/sites', siteBody(client.id))).status).toBe(403);
      for (const site of [mine.site, theirs.site]) {
        expect((await user.patch(`/api/sites/${site.id}`, { name: 'Changed' })).status).toBe(403);
        expect((await user.delete(`/api/sites/${site.id}`)).status).toBe(403);
      }
      expect(await countRows(db, 'sites')).toBe(2);
      expect((await owner.get(`/api/sites/${theirs.site.id}`)).body.name).toBe('Theirs office');
    });

    it('lets a technician write', async () => {
      const client = await insertClient(hub.ctx.db.kysely);
      const tech = await signedInAs(hub, 'technician');
      const created = await tech.post('/api/sites', siteBody(client.id));
      expect(created.status).toBe(201);
      expect((await tech.patch(`/api/sites/${created.body.id}`, { archived: true })).status).toBe(200);
      expect((await tech.delete(`/api/sites/${created.body.id}`)).status).toBe(200);
    });
  });
});
