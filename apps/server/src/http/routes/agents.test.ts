import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../lib/secrets.js';
import { anonymous, setupOwner, userWithRole, type TestAgent } from '../../test/agent.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const ENROL = { hostname: 'nas-01', version: '0.1.0' };

forEachDatabase('site agents API', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  let scene: Awaited<ReturnType<typeof insertClientWithSystem>>;

  beforeAll(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
    scene = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
  });
  afterAll(() => hub.close());

  const create = (by: TestAgent, name = 'Office NAS', siteId = scene.site.id) =>
    by.send('POST', '/api/agents', { siteId, name }, { host: 'desk.example.com' });
  const enrol = (code: string, headers: Record<string, string> = {}) =>
    anonymous(hub).send('POST', '/api/agent/enrol', { code, ...ENROL }, headers);
  const row = (id: string) =>
    hub.ctx.db.kysely.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  describe('adding an agent', () => {
    it('answers 201 with a pending agent, a one-time code, its expiry, and the command to run at the site', async () => {
      const res = await create(owner);
      expect(res.status).toBe(201);
      const { agent, enrolCode, enrolExpiresAt, command, nodeCommand, hubUrl, hubUrlWarning } = res.body;
      expect(agent).toMatchObject({
        siteId: scene.site.id,
        clientId: scene.client.id,
        siteName: 'Harbour Dental office',
        name: 'Office NAS',
        status: 'pending',
        lastSeenAt: null,
        checkCount: 0,
      });
      expect(enrolCode).toMatch(/^ahe_[A-Za-z0-9_-]{20,}$/);
      expect(Date.parse(enrolExpiresAt) - hub.clock.now().getTime()).toBe(24 * 3600_000);
      expect(agent.enrolExpiresAt).toBe(enrolExpiresAt);
      expect(command).toBe(`curl -fsSL http://desk.example.com/agent/install.sh | sudo sh -s -- --enrol ${enrolCode}`);
      expect(nodeCommand).toBe(`node afterhours-agent.cjs --hub http://desk.example.com --enrol ${enrolCode}`);
      expect(hubUrl).toBe('http://desk.example.com');
      // No AFTERHOURS_PUBLIC_URL: the address is only the one this request used, and the screen says so.
      expect(hubUrlWarning).toMatch(/AFTERHOURS_PUBLIC_URL is not set/);
    });

    it('warns that an office cannot reach a hub addressed as this machine', async () => {
      const res = await owner.send(
        'POST',
        '/api/agents',
        { siteId: scene.site.id, name: 'Local' },
        { host: 'localhost:8080' },
      );
      expect(res.body.hubUrlWarning).toMatch(/means "this machine".*AFTERHOURS_PUBLIC_URL/);
    });

    it('refuses to put a doctored Host header into the command', async () => {
      const res = await owner.send(
        'POST',
        '/api/agents',
        { siteId: scene.site.id, name: 'Evil' },
        { host: "desk.example.com';rm" },
      );
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toHaveProperty('host');
    });

    it('stores the code only hashed, and audits the addition without it', async () => {
      const res = await create(owner);
      const stored = await row(res.body.agent.id);
      expect(stored.enrol_code_hash).toBe(hashToken(res.body.enrolCode));
      const audit = await hub.ctx.db.kysely
        .selectFrom('audit_events')
        .selectAll()
        .where('entity_id', '=', res.body.agent.id)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['agent.create']);
      expect(JSON.stringify(audit)).not.toContain(res.body.enrolCode);
    });

    it('refuses a missing or unknown site and an empty name with field errors', async () => {
      const cases: [unknown, string][] = [
        [{ name: 'x' }, 'siteId'],
        [{ siteId: 'not-a-uuid', name: 'x' }, 'siteId'],
        [{ siteId: '00000000-0000-4000-8000-000000000000', name: 'x' }, 'siteId'],
        [{ siteId: scene.site.id, name: '   ' }, 'name'],
        [{ siteId: scene.site.id, name: 'x', token: 'mine' }, 'token'],
      ];
      for (const [body, field] of cases) {
        const res = await owner.post('/api/agents', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(Object.keys(res.body.error.fields)).toContain(field);
      }
    });
  });

  describe('enrolment', () => {
    it('exchanges a code once for a token that is stored hashed', async () => {
      const created = (await create(owner)).body;
      const res = await enrol(created.enrolCode);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        agentId: created.agent.id,
        siteId: scene.site.id,
        token: expect.stringMatching(/^aha_/),
      });
      const stored = await row(created.agent.id);
      expect(stored.token_hash).toBe(hashToken(res.body.token));
      expect(stored.enrol_code_hash).toBeNull();
      expect(stored).toMatchObject({ hostname: 'nas-01', version: '0.1.0' });
      expect(stored.enrolled_at).not.toBeNull();

      const again = await enrol(created.enrolCode);
      expect(again.status).toBe(401);
      expect(again.body.error).toMatchObject({
        code: 'invalid_enrolment_code',
        message: expect.stringContaining('already used'),
      });

      const audit = await hub.ctx.db.kysely
        .selectFrom('audit_events')
        .select(['action', 'after_json'])
        .where('entity_id', '=', created.agent.id)
        .execute();
      expect(audit.map((a) => a.action).sort()).toEqual(['agent.create', 'agent.enrol']);
      expect(JSON.stringify(audit)).not.toContain(res.body.token);
    });

    it('refuses a code after 24 hours, saying it expired', async () => {
      const created = (await create(owner)).body;
      hub.clock.advance(24 * 3600_000);
      const res = await enrol(created.enrolCode);
      expect(res.status).toBe(401);
      expect(res.body.error.message).toContain('expired');
      expect((await row(created.agent.id)).token_hash).toBeNull();
    });

    it('refuses malformed requests with field errors, not 500', async () => {
      const cases: unknown[] = [
        {},
        { code: 'short', ...ENROL },
        { code: 'x'.repeat(300), ...ENROL },
        { code: 'ahe_abcdefghijklmnop' },
        { code: 42, ...ENROL },
      ];
      for (const body of cases) {
        const res = await anonymous(hub).post('/api/agent/enrol', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe('invalid_input');
      }
    });
  });

  describe('wrong codes are rate limited per address', () => {
    it('answers 429 with Retry-After after ten wrong codes, even to a right one, until the lockout ends', async () => {
      hub.clock.advance(hub.ctx.settings.signIn.windowMs + 1000); // earlier tests' wrong codes are forgotten
      const created = (await create(owner)).body;
      for (let i = 0; i < 10; i++) expect((await enrol(`ahe_wrong-code-number-${i}`)).status).toBe(401);
      const locked = await enrol(created.enrolCode);
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('rate_limited');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      hub.clock.advance(hub.ctx.settings.signIn.lockoutMs + 1000);
      expect((await enrol(created.enrolCode)).status).toBe(200);
    });
  });

  describe('revoke, rotate and delete', () => {
    it('revokes: the agent is revoked, its token no longer stored, and revoking again changes nothing', async () => {
      const created = (await create(owner)).body;
      await enrol(created.enrolCode);
      const res = await owner.post(`/api/agents/${created.agent.id}/revoke`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
      expect((await row(created.agent.id)).token_hash).toBeNull();
      expect((await owner.post(`/api/agents/${created.agent.id}/revoke`)).status).toBe(200);
      const actions = await hub.ctx.db.kysely
        .selectFrom('audit_events')
        .select('action')
        .where('entity_id', '=', created.agent.id)
        .execute();
      expect(actions.filter((a) => a.action === 'agent.revoke')).toHaveLength(1);
      expect((await owner.post(`/api/agents/${created.agent.id}/rotate`)).status).toBe(409);
    });

    it('rotates: a new code works, the old token and the old code do not', async () => {
      const created = (await create(owner)).body;
      const first = (await enrol(created.enrolCode)).body;
      const rotated = await owner.send('POST', `/api/agents/${created.agent.id}/rotate`, undefined, {
        host: 'desk.example.com',
      });
      expect(rotated.status).toBe(200);
      expect(rotated.body.agent.status).toBe('pending');
      expect(rotated.body.enrolCode).not.toBe(created.enrolCode);
      expect(rotated.body.command).toContain(rotated.body.enrolCode);
      const stored = await row(created.agent.id);
      expect(stored.token_hash).toBeNull();
      expect(stored.token_hash).not.toBe(hashToken(first.token));
      expect((await enrol(created.enrolCode)).status).toBe(401);
      const second = await enrol(rotated.body.enrolCode);
      expect(second.status).toBe(200);
      expect(second.body.token).not.toBe(first.token);
    });

    it('deletes an agent and audits it', async () => {
      const created = (await create(owner, 'Old box')).body;
      expect((await owner.delete(`/api/agents/${created.agent.id}`)).status).toBe(200);
      expect((await owner.get(`/api/agents/${created.agent.id}`)).status).toBe(404);
      const audit = await hub.ctx.db.kysely
        .selectFrom('audit_events')
        .select('action')
        .where('entity_id', '=', created.agent.id)
        .execute();
      expect(audit.map((a) => a.action)).toContain('agent.delete');
    });

    it('answers 404 for an agent that does not exist', async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      for (const res of [
        await owner.get(`/api/agents/${missing}`),
        await owner.post(`/api/agents/${missing}/revoke`),
        await owner.post(`/api/agents/${missing}/rotate`),
        await owner.delete(`/api/agents/${missing}`),
      ]) {
        expect(res.status).toBe(404);
      }
    });
  });

  describe('reading', () => {
    it('lists agents by site and shows one with its status, last seen, version, host name, uptime and backlog', async () => {
      const other = await insertClientWithSystem(hub.ctx.db.kysely, 'Corner Bakery');
      const mine = (await create(owner, 'Bakery Pi', other.site.id)).body.agent;
      await hub.ctx.db.kysely
        .updateTable('agents')
        .set({ status: 'online', last_seen_at: '2026-11-20T17:00:00.000Z', uptime_s: 3600, backlog: 12 })
        .where('id', '=', mine.id)
        .execute();
      const list = await owner.get(`/api/agents?siteId=${other.site.id}`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([mine.id]);
      const one = await owner.get(`/api/agents/${mine.id}`);
      expect(one.body).toMatchObject({
        name: 'Bakery Pi',
        status: 'online',
        lastSeenAt: '2026-11-20T17:00:00.000Z',
        uptimeS: 3600,
        backlog: 12,
        version: null,
        hostname: null,
      });
      expect((await owner.get('/api/agents?siteId=nope')).status).toBe(400);
    });
  });

  describe('roles', () => {
    it('lets owners and admins manage agents, technicians only read them', async () => {
      const admin = await userWithRole(owner, 'admin');
      const technician = await userWithRole(owner, 'technician');
      const byAdmin = await create(admin, 'Admin made');
      expect(byAdmin.status).toBe(201);
      const id = byAdmin.body.agent.id;
      expect((await create(technician)).status).toBe(403);
      expect((await technician.get(`/api/agents/${id}`)).status).toBe(200);
      expect((await technician.get('/api/agents')).status).toBe(200);
      for (const res of [
        await technician.post(`/api/agents/${id}/revoke`),
        await technician.post(`/api/agents/${id}/rotate`),
        await technician.delete(`/api/agents/${id}`),
      ]) {
        expect(res.status).toBe(403);
      }
      expect((await admin.post(`/api/agents/${id}/rotate`)).status).toBe(200);
    });

    it('lets a client user read only their own firm’s agents, and change none', async () => {
      const theirs = await insertClientWithSystem(hub.ctx.db.kysely, 'Client With Agent');
      const ownAgent = (await create(owner, 'Their agent', theirs.site.id)).body.agent;
      const otherAgent = (await create(owner, 'Someone else’s')).body.agent;
      const client = await userWithRole(owner, 'client', theirs.client.id);
      const list = await client.get('/api/agents');
      expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([ownAgent.id]);
      const asked = await client.get(`/api/agents?clientId=${scene.client.id}`);
      expect(asked.body.items.map((a: { id: string }) => a.id)).toEqual([ownAgent.id]);
      expect((await client.get(`/api/agents/${ownAgent.id}`)).status).toBe(200);
      expect((await client.get(`/api/agents/${otherAgent.id}`)).status).toBe(404);
      expect((await create(client, 'Mine', theirs.site.id)).status).toBe(403);
      expect((await client.post(`/api/agents/${ownAgent.id}/revoke`)).status).toBe(403);
    });
  });
});
