import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids.js';
import { anonymous, OWNER, setupOwner, signIn, userWithRole, type TestAgent } from '../../test/agent.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const PASSWORD = 'a long enough password';

async function insertClient(hub: TestHub, name = 'Acme Dental'): Promise<string> {
  const id = newId();
  const now = hub.clock.now().toISOString();
  await hub.ctx.db.kysely
    .insertInto('clients')
    .values({
      id,
      name,
      name_lower: name.toLowerCase(),
      notes: '',
      contract_json: '{}',
      archived_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

const newUser = (overrides: Record<string, unknown> = {}) => ({
  email: `u${newId().slice(0, 8)}@example.com`,
  name: 'Tess Tech',
  role: 'technician',
  password: PASSWORD,
  ...overrides,
});

forEachDatabase('users', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());

  describe('create', () => {
    it('creates a staff user who can then sign in, and lists users without secrets', async () => {
      const res = await owner.post('/api/users', newUser({ email: 'Tess@Example.com' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        email: 'tess@example.com',
        role: 'technician',
        clientId: null,
        disabled: false,
        totpEnabled: false,
      });
      await expect(signIn(hub, 'tess@example.com', PASSWORD)).resolves.toBeDefined();
      const list = await owner.get('/api/users');
      expect(list.status).toBe(200);
      expect(list.body.items.map((u: { email: string }) => u.email)).toEqual(['owner@example.com', 'tess@example.com']);
      expect(list.body.total).toBe(2);
      expect(JSON.stringify(list.body)).not.toMatch(/hash|argon/i);
      expect((await owner.get(`/api/users/${res.body.id}`)).body.email).toBe('tess@example.com');
    });

    it('ties a client user to an existing client, and refuses a client for staff', async () => {
      const clientId = await insertClient(hub);
      const ok = await owner.post('/api/users', newUser({ role: 'client', clientId }));
      expect(ok.status).toBe(201);
      expect(ok.body.clientId).toBe(clientId);

      const missing = await owner.post('/api/users', newUser({ role: 'client' }));
      expect(missing.status).toBe(400);
      expect(missing.body.error.fields.clientId).toMatch(/required/);
      const unknown = await owner.post('/api/users', newUser({ role: 'client', clientId: newId() }));
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.fields.clientId).toMatch(/not an existing client/);
      const staff = await owner.post('/api/users', newUser({ role: 'admin', clientId }));
      expect(staff.status).toBe(400);
      expect(staff.body.error.fields.clientId).toMatch(/must be empty/);
    });

    it('refuses a second account with the same e-mail in any case, naming the field', async () => {
      await owner.post('/api/users', newUser({ email: 'dup@example.com' }));
      const again = await owner.post('/api/users', newUser({ email: 'DUP@example.com' }));
      expect(again.status).toBe(409);
      expect(again.body.error.fields).toEqual({ email: 'is already in use' });
    });

    it('names every bad field and refuses unknown ones', async () => {
      const res = await owner.post('/api/users', {
        email: 'nope',
        name: '',
        role: 'boss',
        password: 'short',
        extra: 1,
      });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.error.fields)).toEqual(expect.arrayContaining(['email', 'name', 'role', 'password']));
    });
  });

  describe('who may manage accounts', () => {
    it('refuses technicians and client users, and anonymous callers', async () => {
      const clientId = await insertClient(hub);
      const tech = await userWithRole(owner, 'technician');
      const client = await userWithRole(owner, 'client', clientId);
      for (const agent of [tech, client]) {
        expect((await agent.get('/api/users')).status).toBe(403);
        expect((await agent.post('/api/users', newUser())).status).toBe(403);
      }
      expect((await anonymous(hub).get('/api/users')).status).toBe(401);
    });

    it('lets an admin manage staff but never an owner', async () => {
      const admin = await userWithRole(owner, 'admin');
      const tech = await admin.post('/api/users', newUser());
      expect(tech.status).toBe(201);
      expect((await admin.patch(`/api/users/${tech.body.id}`, { role: 'admin' })).status).toBe(200);

      const grant = await admin.post('/api/users', newUser({ role: 'owner' }));
      expect(grant.status).toBe(403);
      expect((await admin.patch(`/api/users/${tech.body.id}`, { role: 'owner' })).status).toBe(403);

      const ownerId = (await owner.get('/api/me')).body.id;
      expect((await admin.patch(`/api/users/${ownerId}`, { name: 'Renamed' })).status).toBe(403);
      expect((await admin.patch(`/api/users/${ownerId}`, { password: 'taken over by admin' })).status).toBe(403);
      expect((await admin.delete(`/api/users/${ownerId}`)).status).toBe(403);
      expect((await owner.get('/api/me')).body.name).toBe(OWNER.name);
    });
  });

  describe('update and delete', () => {
    it('changes name and role; moving a client user to staff clears the client', async () => {
      const clientId = await insertClient(hub);
      const created = await owner.post('/api/users', newUser({ role: 'client', clientId }));
      const res = await owner.patch(`/api/users/${created.body.id}`, { name: 'Now Staff', role: 'technician' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'Now Staff', role: 'technician', clientId: null });
      const back = await owner.patch(`/api/users/${created.body.id}`, { role: 'client' });
      expect(back.status).toBe(400);
      expect(back.body.error.fields.clientId).toMatch(/required/);
    });

    it('ends the sessions of a user who is disabled, and refuses their sign-in', async () => {
      const created = await owner.post('/api/users', newUser({ email: 'gone@example.com' }));
      const agent = await signIn(hub, 'gone@example.com', PASSWORD);
      expect((await agent.get('/api/me')).status).toBe(200);
      const res = await owner.patch(`/api/users/${created.body.id}`, { disabled: true });
      expect(res.body.disabled).toBe(true);
      expect((await agent.get('/api/me')).status).toBe(401);
      const rows = await hub.ctx.db.kysely
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', created.body.id)
        .execute();
      expect(rows).toHaveLength(0);
      await expect(signIn(hub, 'gone@example.com', PASSWORD)).rejects.toThrow(/401/);
      await owner.patch(`/api/users/${created.body.id}`, { disabled: false });
      await expect(signIn(hub, 'gone@example.com', PASSWORD)).resolves.toBeDefined();
    });

    it('resets a password: the old one stops working and sessions end', async () => {
      const created = await owner.post('/api/users', newUser({ email: 'forgot@example.com' }));
      const agent = await signIn(hub, 'forgot@example.com', PASSWORD);
      expect((await owner.patch(`/api/users/${created.body.id}`, { password: 'a brand new password' })).status).toBe(
        200,
      );
      expect((await agent.get('/api/me')).status).toBe(401);
      await expect(signIn(hub, 'forgot@example.com', PASSWORD)).rejects.toThrow(/401/);
      await expect(signIn(hub, 'forgot@example.com', 'a brand new password')).resolves.toBeDefined();
    });

    it('deletes a user, and answers 404 for an unknown one', async () => {
      const created = await owner.post('/api/users', newUser({ email: 'leaver@example.com' }));
      const agent = await signIn(hub, 'leaver@example.com', PASSWORD);
      expect((await owner.delete(`/api/users/${created.body.id}`)).status).toBe(200);
      expect((await agent.get('/api/me')).status).toBe(401);
      expect((await owner.get(`/api/users/${created.body.id}`)).status).toBe(404);
      expect((await owner.delete(`/api/users/${created.body.id}`)).status).toBe(404);
      expect((await owner.patch(`/api/users/${newId()}`, { name: 'x' })).status).toBe(404);
      expect((await owner.delete('/api/users/not-an-id')).status).toBe(400);
    });
  });

  describe('the last owner', () => {
    it('cannot be demoted, disabled or deleted, by anyone', async () => {
      const ownerId = (await owner.get('/api/me')).body.id;
      for (const attempt of [
        () => owner.patch(`/api/users/${ownerId}`, { role: 'admin' }),
        () => owner.patch(`/api/users/${ownerId}`, { disabled: true }),
        () => owner.delete(`/api/users/${ownerId}`),
      ]) {
        const res = await attempt();
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/last active owner/);
      }
      const me = (await owner.get('/api/me')).body;
      expect(me).toMatchObject({ role: 'owner', disabled: false });
    });

    it('can step down once another owner exists, and a disabled owner does not count', async () => {
      const ownerId = (await owner.get('/api/me')).body.id;
      const second = await owner.post('/api/users', newUser({ role: 'owner', email: 'second@example.com' }));
      await owner.patch(`/api/users/${second.body.id}`, { disabled: true });
      expect((await owner.patch(`/api/users/${ownerId}`, { role: 'admin' })).status).toBe(409);
      await owner.patch(`/api/users/${second.body.id}`, { disabled: false });
      const res = await owner.patch(`/api/users/${ownerId}`, { role: 'admin' });
      expect(res.status).toBe(200);
      expect(res.body.role).toBe('admin');
    });
  });
});
