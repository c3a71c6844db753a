import type { ChangeEvent } from '@afterhours/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import { contactBody, countRows, insertClient, insertContact, signedInAs } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

forEachDatabase('contacts API', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());

  it('adds, lists, reads, changes and deletes a contact', async () => {
    const client = await insertClient(hub.ctx.db.kysely, { name: 'Harbour Dental' });
    await insertContact(hub.ctx.db.kysely, client, { name: 'Zed Zimmer' });
    const created = await owner.post(`/api/clients/${client.id}/contacts`, {
      name: 'Ann Able',
      email: 'ANN@Example.com ',
      phone: '+44 (0)20 7946-0000',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      clientId: client.id,
      name: 'Ann Able',
      role: '',
      email: 'ann@example.com',
      phone: '+44 (0)20 7946-0000',
      preferredChannel: 'email',
      receivesIncidentUpdates: true,
    });

    const list = await owner.get(`/api/clients/${client.id}/contacts`);
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['Ann Able', 'Zed Zimmer']);
    expect(list.body).toMatchObject({ total: 2, nextCursor: null });
    expect((await owner.get(`/api/contacts/${created.body.id}`)).body).toEqual(created.body);

    const changed = await owner.patch(`/api/contacts/${created.body.id}`, {
      preferredChannel: 'sms',
      receivesIncidentUpdates: false,
      role: 'Manager',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      preferredChannel: 'sms',
      receivesIncidentUpdates: false,
      role: 'Manager',
      email: 'ann@example.com',
    });

    expect((await owner.delete(`/api/contacts/${created.body.id}`)).status).toBe(200);
    expect((await owner.get(`/api/contacts/${created.body.id}`)).status).toBe(404);
    expect((await owner.get(`/api/clients/${client.id}/contacts`)).body.total).toBe(1);
  });

  it('audits writes and publishes change events', async () => {
    const client = await insertClient(hub.ctx.db.kysely);
    const events: ChangeEvent[] = [];
    hub.ctx.bus.subscribe((e) => events.push(e));
    const { body: contact } = await owner.post(`/api/clients/${client.id}/contacts`, contactBody({ name: 'Audit Me' }));
    await owner.patch(`/api/contacts/${contact.id}`, { name: 'Audited' });
    await owner.delete(`/api/contacts/${contact.id}`);
    const audit = await hub.ctx.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_type', '=', 'contact')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['contact.create', 'contact.delete', 'contact.update']);
    expect(audit.every((a) => a.entity_id === contact.id && a.client_id === client.id)).toBe(true);
    const update = audit.find((a) => a.action === 'contact.update')!;
    expect(JSON.parse(update.before_json!).name).toBe('Audit Me');
    expect(JSON.parse(update.after_json!).name).toBe('Audited');
    expect(events.map((e) => `${e.entity}:${e.action}:${e.clientId}`)).toEqual([
      `contact:created:${client.id}`,
      `contact:updated:${client.id}`,
      `contact:deleted:${client.id}`,
    ]);
  });

  describe('bad input', () => {
    type Case = {
      title: string;
      method: 'post' | 'patch' | 'get' | 'delete';
      url: 'client' | 'contact' | string;
      body?: unknown;
      status: number;
      field?: string;
    };
    const cases: Case[] = [
      {
        title: 'missing name',
        method: 'post',
        url: 'client',
        body: { email: 'a@example.com' },
        status: 400,
        field: 'name',
      },
      {
        title: 'name of the wrong type',
        method: 'post',
        url: 'client',
        body: { name: ['x'], email: 'a@example.com' },
        status: 400,
        field: 'name',
      },
      {
        title: 'over-long name',
        method: 'post',
        url: 'client',
        body: { name: 'x'.repeat(201), email: 'a@example.com' },
        status: 400,
        field: 'name',
      },
      {
        title: 'over-long role',
        method: 'post',
        url: 'client',
        body: { name: 'A', role: 'r'.repeat(101), email: 'a@example.com' },
        status: 400,
        field: 'role',
      },
      {
        title: 'NUL character in the role',
        method: 'post',
        url: 'client',
        body: { name: 'A', role: 'x\u0000', email: 'a@example.com' },
        status: 400,
        field: 'role',
      },
      {
        title: 'bad e-mail',
        method: 'post',
        url: 'client',
        body: { name: 'A', email: 'not an email' },
        status: 400,
        field: 'email',
      },
      {
        title: 'bad phone',
        method: 'post',
        url: 'client',
        body: { name: 'A', phone: 'call me maybe', preferredChannel: 'phone' },
        status: 400,
        field: 'phone',
      },
      {
        title: 'bad channel',
        method: 'post',
        url: 'client',
        body: { name: 'A', preferredChannel: 'pigeon' },
        status: 400,
        field: 'preferredChannel',
      },
      {
        title: 'e-mail channel without an e-mail',
        method: 'post',
        url: 'client',
        body: { name: 'A', preferredChannel: 'email' },
        status: 400,
        field: 'email',
      },
      {
        title: 'SMS channel without a phone',
        method: 'post',
        url: 'client',
        body: { name: 'A', email: 'a@example.com', preferredChannel: 'sms' },
        status: 400,
        field: 'phone',
      },
      {
        title: 'flag of the wrong type',
        method: 'post',
        url: 'client',
        body: { name: 'A', email: 'a@example.com', receivesIncidentUpdates: 'yes' },
        status: 400,
        field: 'receivesIncidentUpdates',
      },
      {
        title: 'unknown field',
        method: 'post',
        url: 'client',
        body: { name: 'A', email: 'a@example.com', twitter: '@a' },
        status: 400,
        field: 'twitter',
      },
      {
        title: 'unknown client',
        method: 'post',
        url: `/api/clients/${MISSING}/contacts`,
        body: { name: 'A', email: 'a@example.com' },
        status: 404,
      },
      {
        title: 'malformed client id',
        method: 'post',
        url: '/api/clients/nope/contacts',
        body: { name: 'A', email: 'a@example.com' },
        status: 400,
        field: 'id',
      },
      { title: 'list of an unknown client', method: 'get', url: `/api/clients/${MISSING}/contacts`, status: 404 },
      {
        title: 'update removing the e-mail of an e-mail contact',
        method: 'patch',
        url: 'contact',
        body: { email: null },
        status: 400,
        field: 'email',
      },
      {
        title: 'update with a blank name',
        method: 'patch',
        url: 'contact',
        body: { name: ' ' },
        status: 400,
        field: 'name',
      },
      {
        title: 'update with an unknown field',
        method: 'patch',
        url: 'contact',
        body: { clientId: MISSING },
        status: 400,
        field: 'clientId',
      },
      {
        title: 'update of an unknown contact',
        method: 'patch',
        url: `/api/contacts/${MISSING}`,
        body: { name: 'B' },
        status: 404,
      },
      { title: 'delete of an unknown contact', method: 'delete', url: `/api/contacts/${MISSING}`, status: 404 },
      { title: 'malformed contact id', method: 'delete', url: '/api/contacts/42', status: 400, field: 'id' },
    ];

    it.each(cases)('$title → $status', async ({ method, url, body, status, field }) => {
      const client = await insertClient(hub.ctx.db.kysely);
      const contact = await insertContact(hub.ctx.db.kysely, client, { name: 'Steady' });
      const target =
        url === 'client'
          ? `/api/clients/${client.id}/contacts`
          : url === 'contact'
            ? `/api/contacts/${contact.id}`
            : url;
      const res = await (method === 'post' || method === 'patch' ? owner[method](target, body) : owner[method](target));
      expect(res.status).toBe(status);
      if (field) expect(Object.keys(res.body.error.fields ?? {})).toContain(field);
      expect(await countRows(hub.ctx.db.kysely, 'contacts')).toBe(1);
      expect((await owner.get(`/api/contacts/${contact.id}`)).body).toMatchObject({
        name: 'Steady',
        email: contact.email,
        updatedAt: contact.updated_at,
      });
    });
  });

  describe('roles', () => {
    it('lets a client user read only their own contacts, and change none', async () => {
      const db = hub.ctx.db.kysely;
      const mine = await insertClient(db);
      const theirs = await insertClient(db);
      const myContact = await insertContact(db, mine);
      const theirContact = await insertContact(db, theirs);
      const user = await signedInAs(hub, 'client', mine.id);

      expect((await user.get(`/api/clients/${mine.id}/contacts`)).body.items.map((c: { id: string }) => c.id)).toEqual([
        myContact.id,
      ]);
      expect((await user.get(`/api/contacts/${myContact.id}`)).status).toBe(200);
      expect((await user.get(`/api/clients/${theirs.id}/contacts`)).status).toBe(404);
      expect((await user.get(`/api/contacts/${theirContact.id}`)).status).toBe(404);

      for (const client of [mine, theirs])
        expect((await user.post(`/api/clients/${client.id}/contacts`, contactBody())).status).toBe(403);
      for (const contact of [myContact, theirContact]) {
        expect((await user.patch(`/api/contacts/${contact.id}`, { name: 'Changed' })).status).toBe(403);
        expect((await user.delete(`/api/contacts/${contact.id}`)).status).toBe(403);
      }
      expect(await countRows(db, 'contacts')).toBe(2);
      expect((await owner.get(`/api/contacts/${theirContact.id}`)).body.name).toBe(theirContact.name);
    });

    it('lets a technician write', async () => {
      const client = await insertClient(hub.ctx.db.kysely);
      const tech = await signedInAs(hub, 'technician');
      const created = await tech.post(`/api/clients/${client.id}/contacts`, contactBody());
      expect(created.status).toBe(201);
      expect((await tech.patch(`/api/contacts/${created.body.id}`, { role: 'Boss' })).status).toBe(200);
      expect((await tech.delete(`/api/contacts/${created.body.id}`)).status).toBe(200);
    });
  });
});
