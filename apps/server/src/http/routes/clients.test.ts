import type { ChangeEvent } from '@afterhours/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import {
  clientBody,
  countRows,
  insertClient,
  insertClientWithSystem,
  insertContact,
  insertSite,
  insertSystem,
  insertUser,
  signedInAs,
} from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

forEachDatabase('clients API', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());

  it('creates a client with a default contract and reads it back', async () => {
    const created = await owner.post('/api/clients', { name: '  Harbour Dental ', notes: 'Key under the mat' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Harbour Dental',
      notes: 'Key under the mat',
      contract: { supportHours: { kind: 'always' }, responseTargetMinutes: 60 },
      archivedAt: null,
      siteCount: 0,
      systemCount: 0,
    });
    const read = await owner.get(`/api/clients/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('counts live sites and systems only', async () => {
    const { client, site } = await insertClientWithSystem(hub.ctx.db.kysely, 'Counted');
    await insertSystem(hub.ctx.db.kysely, site, { archived_at: '2026-01-01T00:00:00.000Z' });
    const archivedSite = await insertSite(hub.ctx.db.kysely, client, { archived_at: '2026-01-01T00:00:00.000Z' });
    await insertSystem(hub.ctx.db.kysely, archivedSite);
    const read = await owner.get(`/api/clients/${client.id}`);
    expect(read.body).toMatchObject({ siteCount: 1, systemCount: 1 });
  });

  it('lists by name with search, archive filter and keyset pages', async () => {
    const db = hub.ctx.db.kysely;
    for (const name of ['Alpha Law', 'Beta Dental', 'Gamma Dental', 'Delta Dental', '100% Dental', 'Under_score']) {
      await insertClient(db, { name });
    }
    await insertClient(db, { name: 'Old Dental', archived_at: '2026-01-01T00:00:00.000Z' });

    const all = await owner.get('/api/clients');
    expect(all.body.items.map((c: { name: string }) => c.name)).toEqual([
      '100% Dental',
      'Alpha Law',
      'Beta Dental',
      'Delta Dental',
      'Gamma Dental',
      'Under_score',
    ]);
    expect(all.body).toMatchObject({ total: 6, nextCursor: null });

    const dental = await owner.get('/api/clients?q=DENTAL');
    expect(dental.body.total).toBe(4);
    expect((await owner.get('/api/clients?q=%25')).body.items.map((c: { name: string }) => c.name)).toEqual([
      '100% Dental',
    ]);
    expect((await owner.get('/api/clients?q=_')).body.items.map((c: { name: string }) => c.name)).toEqual([
      'Under_score',
    ]);

    expect((await owner.get('/api/clients?archived=true')).body.items.map((c: { name: string }) => c.name)).toEqual([
      'Old Dental',
    ]);
    expect((await owner.get('/api/clients?archived=all&q=dental')).body.total).toBe(5);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { items: { name: string }[]; nextCursor: string | null; total: number } } =
        await owner.get(
          `/api/clients?q=dental&archived=all&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(5);
      seen.push(...res.body.items.map((c) => c.name));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['100% Dental', 'Beta Dental', 'Delta Dental', 'Gamma Dental', 'Old Dental']);
  });

  it('updates, archives and restores a client', async () => {
    const { body: created } = await owner.post('/api/clients', clientBody({ name: 'Harbour Dental' }));
    hub.clock.advance(60_000);
    const contract = {
      supportHours: {
        kind: 'weekly',
        timeZone: 'Europe/Dublin',
        windows: [{ day: 'mon', start: '08:00', end: '18:00' }],
      },
      responseTargetMinutes: 30,
    };
    const updated = await owner.patch(`/api/clients/${created.id}`, { name: 'Harbour Dental Group', contract });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'Harbour Dental Group',
      contract,
      updatedAt: '2026-11-20T17:01:00.000Z',
      createdAt: created.createdAt,
    });

    const archived = await owner.patch(`/api/clients/${created.id}`, { archived: true });
    expect(archived.body.archivedAt).toBe('2026-11-20T17:01:00.000Z');
    expect((await owner.get('/api/clients')).body.total).toBe(0);
    hub.clock.advance(60_000);
    expect((await owner.patch(`/api/clients/${created.id}`, { archived: true })).body.archivedAt).toBe(
      '2026-11-20T17:01:00.000Z',
    );

    const restored = await owner.patch(`/api/clients/${created.id}`, { archived: false });
    expect(restored.body.archivedAt).toBeNull();
    expect((await owner.get('/api/clients')).body.total).toBe(1);
  });

  it('deletes a client with everything under it', async () => {
    const db = hub.ctx.db.kysely;
    const doomed = await insertClientWithSystem(db, 'Doomed');
    await insertContact(db, doomed.client);
    await insertUser(db, 'client', doomed.client.id);
    const kept = await insertClientWithSystem(db, 'Kept');

    const res = await owner.delete(`/api/clients/${doomed.client.id}`);
    expect(res.status).toBe(200);
    expect((await owner.get(`/api/clients/${doomed.client.id}`)).status).toBe(404);
    expect(await countRows(db, 'clients')).toBe(1);
    expect(await countRows(db, 'sites')).toBe(1);
    expect(await countRows(db, 'systems')).toBe(1);
    expect(await countRows(db, 'contacts')).toBe(0);
    expect(await db.selectFrom('users').select('id').where('client_id', '=', doomed.client.id).execute()).toEqual([]);
    expect((await owner.get(`/api/clients/${kept.client.id}`)).body.systemCount).toBe(1);
    expect((await owner.delete(`/api/clients/${doomed.client.id}`)).status).toBe(404);
    const audit = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'client.delete')
      .executeTakeFirstOrThrow();
    expect(audit.summary).toBe(
      'Client "Doomed" deleted with 1 site(s), 1 system(s), 1 contact(s), 1 client account(s) and 0 API token(s)',
    );
  });

  it('audits every write and publishes change events', async () => {
    const events: ChangeEvent[] = [];
    hub.ctx.bus.subscribe((e) => events.push(e));
    const { body: created } = await owner.post('/api/clients', clientBody({ name: 'Audited' }));
    await owner.patch(`/api/clients/${created.id}`, { notes: 'changed' });
    await owner.patch(`/api/clients/${created.id}`, { notes: 'changed' }); // no change: no audit, no event
    await owner.patch(`/api/clients/${created.id}`, { archived: true });
    await owner.delete(`/api/clients/${created.id}`);

    const audit = await hub.ctx.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_type', '=', 'client')
      .orderBy('at')
      .orderBy('action')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'client.archive',
      'client.create',
      'client.delete',
      'client.update',
    ]);
    const update = audit.find((a) => a.action === 'client.update')!;
    expect(JSON.parse(update.before_json!)).toMatchObject({ name: 'Audited', notes: '' });
    expect(JSON.parse(update.after_json!)).toMatchObject({ name: 'Audited', notes: 'changed' });
    expect(update).toMatchObject({ entity_id: created.id, client_id: created.id, actor_label: 'owner@example.com' });

    expect(events.map((e) => [e.entity, e.action, e.id, e.clientId])).toEqual([
      ['client', 'created', created.id, created.id],
      ['client', 'updated', created.id, created.id],
      ['client', 'updated', created.id, created.id],
      ['client', 'deleted', created.id, created.id],
    ]);
  });

  describe('bad input', () => {
    const long = 'x'.repeat(201);
    const cases: {
      title: string;
      method: 'post' | 'patch' | 'get' | 'delete';
      url: (id: string) => string;
      body?: unknown;
      status: number;
      field?: string;
    }[] = [
      { title: 'missing name', method: 'post', url: () => '/api/clients', body: {}, status: 400, field: 'name' },
      {
        title: 'blank name',
        method: 'post',
        url: () => '/api/clients',
        body: { name: '   ' },
        status: 400,
        field: 'name',
      },
      {
        title: 'name of the wrong type',
        method: 'post',
        url: () => '/api/clients',
        body: { name: 42 },
        status: 400,
        field: 'name',
      },
      {
        title: 'over-long name',
        method: 'post',
        url: () => '/api/clients',
        body: { name: long },
        status: 400,
        field: 'name',
      },
      {
        title: 'over-long notes',
        method: 'post',
        url: () => '/api/clients',
        body: { name: 'A', notes: 'n'.repeat(5001) },
        status: 400,
        field: 'notes',
      },
      {
        title: 'NUL character in the name',
        method: 'post',
        url: () => '/api/clients',
        body: { name: 'Acme\u0000' },
        status: 400,
        field: 'name',
      },
      {
        title: 'NUL character in the search',
        method: 'get',
        url: () => '/api/clients?q=a%00b',
        status: 400,
        field: 'q',
      },
      {
        title: 'cursor holding a NUL character',
        method: 'get',
        url: () => `/api/clients?cursor=${Buffer.from(JSON.stringify(['a\u0000', 'b'])).toString('base64url')}`,
        status: 400,
        field: 'cursor',
      },
      {
        title: 'bad time zone in the contract',
        method: 'post',
        url: () => '/api/clients',
        body: {
          name: 'A',
          contract: {
            supportHours: {
              kind: 'weekly',
              timeZone: 'Mars/Olympus',
              windows: [{ day: 'mon', start: '08:00', end: '18:00' }],
            },
            responseTargetMinutes: 60,
          },
        },
        status: 400,
        field: 'contract.supportHours.timeZone',
      },
      {
        title: 'bad weekday',
        method: 'post',
        url: () => '/api/clients',
        body: {
          name: 'A',
          contract: {
            supportHours: {
              kind: 'weekly',
              timeZone: 'UTC',
              windows: [{ day: 'funday', start: '08:00', end: '18:00' }],
            },
            responseTargetMinutes: 60,
          },
        },
        status: 400,
        field: 'contract.supportHours.windows.0.day',
      },
      {
        title: 'bad support-hours kind',
        method: 'post',
        url: () => '/api/clients',
        body: { name: 'A', contract: { supportHours: { kind: 'sometimes' }, responseTargetMinutes: 60 } },
        status: 400,
        field: 'contract.supportHours.kind',
      },
      {
        title: 'zero response target',
        method: 'post',
        url: () => '/api/clients',
        body: { name: 'A', contract: { supportHours: { kind: 'always' }, responseTargetMinutes: 0 } },
        status: 400,
        field: 'contract.responseTargetMinutes',
      },
      {
        title: 'unknown field on create',
        method: 'post',
        url: () => '/api/clients',
        body: { name: 'A', colour: 'red' },
        status: 400,
        field: 'colour',
      },
      {
        title: 'unknown field on update',
        method: 'patch',
        url: (id) => `/api/clients/${id}`,
        body: { nmae: 'typo' },
        status: 400,
        field: 'nmae',
      },
      {
        title: 'archived not a boolean',
        method: 'patch',
        url: (id) => `/api/clients/${id}`,
        body: { archived: 'yes' },
        status: 400,
        field: 'archived',
      },
      {
        title: 'blank name on update',
        method: 'patch',
        url: (id) => `/api/clients/${id}`,
        body: { name: '' },
        status: 400,
        field: 'name',
      },
      {
        title: 'update of an unknown id',
        method: 'patch',
        url: () => `/api/clients/${MISSING}`,
        body: { name: 'B' },
        status: 404,
      },
      { title: 'read of an unknown id', method: 'get', url: () => `/api/clients/${MISSING}`, status: 404 },
      { title: 'delete of an unknown id', method: 'delete', url: () => `/api/clients/${MISSING}`, status: 404 },
      { title: 'malformed id', method: 'get', url: () => '/api/clients/not-a-uuid', status: 400, field: 'id' },
      {
        title: 'malformed id on update',
        method: 'patch',
        url: () => '/api/clients/123',
        body: { name: 'B' },
        status: 400,
        field: 'id',
      },
      { title: 'malformed id on delete', method: 'delete', url: () => '/api/clients/123', status: 400, field: 'id' },
      {
        title: 'bad archived filter',
        method: 'get',
        url: () => '/api/clients?archived=maybe',
        status: 400,
        field: 'archived',
      },
      { title: 'limit out of range', method: 'get', url: () => '/api/clients?limit=0', status: 400, field: 'limit' },
      { title: 'limit not a number', method: 'get', url: () => '/api/clients?limit=lots', status: 400, field: 'limit' },
      { title: 'bad cursor', method: 'get', url: () => '/api/clients?cursor=garbage', status: 400, field: 'cursor' },
      {
        title: 'cursor of the wrong shape',
        method: 'get',
        url: () => `/api/clients?cursor=${Buffer.from('{"a":1}').toString('base64url')}`,
        status: 400,
        field: 'cursor',
      },
    ];

    it.each(cases)('$title → $status', async ({ method, url, body, status, field }) => {
      const { client } = await insertClientWithSystem(hub.ctx.db.kysely, 'Steady');
      const before = await owner.get(`/api/clients/${client.id}`);
      const res = await (method === 'post' || method === 'patch'
        ? owner[method](url(client.id), body)
        : owner[method](url(client.id)));
      expect(res.status).toBe(status);
      if (field) expect(Object.keys(res.body.error.fields ?? {})).toContain(field);
      expect(res.body.error.message).toBeTruthy();
      expect(await countRows(hub.ctx.db.kysely, 'clients')).toBe(1);
      expect((await owner.get(`/api/clients/${client.id}`)).body).toEqual(before.body);
      expect(
        await hub.ctx.db.kysely.selectFrom('audit_events').select('id').where('entity_type', '=', 'client').execute(),
      ).toEqual([]);
    });
  });

  describe('roles', () => {
    it('confines a client user to their own firm, read-only', async () => {
      const db = hub.ctx.db.kysely;
      const mine = await insertClientWithSystem(db, 'Mine');
      const theirs = await insertClientWithSystem(db, 'Theirs');
      const user = await signedInAs(hub, 'client', mine.client.id);

      const list = await user.get('/api/clients?archived=all');
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([mine.client.id]);
      expect(list.body.total).toBe(1);
      expect((await user.get(`/api/clients/${mine.client.id}`)).status).toBe(200);
      expect((await user.get(`/api/clients/${theirs.client.id}`)).status).toBe(404);

      for (const id of [mine.client.id, theirs.client.id]) {
        expect((await user.patch(`/api/clients/${id}`, { name: 'Hijacked' })).status).toBe(403);
        expect((await user.delete(`/api/clients/${id}`)).status).toBe(403);
      }
      expect((await user.post('/api/clients', clientBody())).status).toBe(403);
      expect(await countRows(db, 'clients')).toBe(2);
      expect((await owner.get(`/api/clients/${theirs.client.id}`)).body.name).toBe('Theirs');
    });

    it('lets a technician write', async () => {
      const tech = await signedInAs(hub, 'technician');
      const created = await tech.post('/api/clients', clientBody({ name: 'By tech' }));
      expect(created.status).toBe(201);
      expect((await tech.patch(`/api/clients/${created.body.id}`, { notes: 'x' })).status).toBe(200);
      expect((await tech.delete(`/api/clients/${created.body.id}`)).status).toBe(200);
    });
  });
});
