import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type AppContext } from '../../context.js';
import { resolveApiToken } from '../../domain/auth/tokens.js';
import { EventBus } from '../../events/bus.js';
import { ManualClock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { SecretBox } from '../../lib/secrets.js';
import { bearer, setupOwner, userWithRole, type TestAgent } from '../../test/agent.js';
import { createTestDatabase, createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { buildApp } from '../app.js';

async function insertClient(hub: TestHub): Promise<string> {
  const id = newId();
  const now = hub.clock.now().toISOString();
  await hub.ctx.db.kysely
    .insertInto('clients')
    .values({
      id,
      name: 'Acme',
      name_lower: 'acme',
      notes: '',
      contract_json: '{}',
      archived_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

forEachDatabase('API tokens', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());

  it('shows the secret once, stores only its hash, and the token then works until revoked', async () => {
    const created = await owner.post('/api/tokens', { name: 'backup script', role: 'technician' });
    expect(created.status).toBe(201);
    const { token, secret } = created.body;
    expect(secret).toMatch(/^ah_[A-Za-z0-9_-]{32}$/);
    expect(token).toMatchObject({
      name: 'backup script',
      role: 'technician',
      clientId: null,
      prefix: secret.slice(0, 10),
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(token.createdBy).toBe((await owner.get('/api/me')).body.id);

    const row = await hub.ctx.db.kysely
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret);

    const script = bearer(hub, secret);
    expect((await script.get('/api/audit')).status).toBe(200);
    const list = await owner.get('/api/tokens');
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(secret);

    const revoked = await owner.delete(`/api/tokens/${token.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = await script.get('/api/audit');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthenticated');
    expect((await owner.delete(`/api/tokens/${token.id}`)).body.revokedAt).toBe(revoked.body.revokedAt);
    expect((await owner.delete(`/api/tokens/${newId()}`)).status).toBe(404);
  });

  it('confines a client token to its client and requires an existing one', async () => {
    const clientId = await insertClient(hub);
    const missing = await owner.post('/api/tokens', { name: 'portal', role: 'client' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.clientId).toMatch(/required/);
    expect((await owner.post('/api/tokens', { name: 'portal', role: 'client', clientId: newId() })).status).toBe(400);
    expect((await owner.post('/api/tokens', { name: 'ops', role: 'admin', clientId })).status).toBe(400);

    const created = await owner.post('/api/tokens', { name: 'portal', role: 'client', clientId });
    expect(created.status).toBe(201);
    const actor = await resolveApiToken(hub.ctx, created.body.secret);
    expect(actor).toMatchObject({ type: 'token', role: 'client', clientId });
    const client = bearer(hub, created.body.secret);
    expect((await client.get('/api/audit')).status).toBe(403);
    expect((await client.get('/api/tokens')).status).toBe(403);
    expect((await client.post('/api/tokens', { name: 'escalate', role: 'owner' })).status).toBe(403);
  });

  it('is for owners and admins; an admin cannot mint or revoke owner tokens', async () => {
    const tech = await userWithRole(owner, 'technician');
    expect((await tech.get('/api/tokens')).status).toBe(403);
    expect((await tech.post('/api/tokens', { name: 'x', role: 'technician' })).status).toBe(403);

    const admin = await userWithRole(owner, 'admin');
    expect((await admin.post('/api/tokens', { name: 'x', role: 'owner' })).status).toBe(403);
    const ownerToken = await owner.post('/api/tokens', { name: 'root', role: 'owner' });
    expect((await admin.delete(`/api/tokens/${ownerToken.body.token.id}`)).status).toBe(403);
    expect((await admin.post('/api/tokens', { name: 'ci', role: 'admin' })).status).toBe(201);
    // A token of a technician cannot create tokens either.
    const techToken = await owner.post('/api/tokens', { name: 'probe', role: 'technician' });
    expect(
      (await bearer(hub, techToken.body.secret).post('/api/tokens', { name: 'y', role: 'technician' })).status,
    ).toBe(403);
  });

  it('names bad fields', async () => {
    const res = await owner.post('/api/tokens', { name: '', role: 'root' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['name', 'role']);
  });
});

forEachDatabase('tokens do not outlive what their maker may do', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());

  /** An admin with an admin token; answers the token's agent and the admin's id. */
  async function adminWithToken() {
    const admin = await userWithRole(owner, 'admin');
    const adminId = (await admin.get('/api/me')).body.id as string;
    const made = await admin.post('/api/tokens', { name: 'admin script', role: 'admin' });
    expect(made.status).toBe(201);
    return { script: bearer(hub, made.body.secret), adminId, tokenId: made.body.token.id as string };
  }
  const newAdmin = (n: string) => ({
    email: `new-${n}@example.com`,
    name: n,
    role: 'admin',
    password: 'a long enough password',
  });

  it("a disabled admin's token can no longer create an admin (revoked, and the revocation audited)", async () => {
    const { script, adminId, tokenId } = await adminWithToken();
    expect((await script.post('/api/users', newAdmin('before'))).status).toBe(201);
    expect((await owner.patch(`/api/users/${adminId}`, { disabled: true })).status).toBe(200);
    const refused = await script.post('/api/users', newAdmin('after'));
    expect(refused.status).toBe(401);
    const token = await hub.ctx.db.kysely
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', tokenId)
      .executeTakeFirstOrThrow();
    expect(token.revoked_at).not.toBeNull();
    const audit = await hub.ctx.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_id', '=', tokenId)
      .execute();
    expect(audit.map((a) => a.action)).toContain('token.revoke');
    // Enabling the admin again does not bring the token back.
    expect((await owner.patch(`/api/users/${adminId}`, { disabled: false })).status).toBe(200);
    expect((await script.get('/api/users')).status).toBe(401);
  });

  it('revokes the tokens of a user who is demoted or deleted', async () => {
    const demoted = await adminWithToken();
    expect((await owner.patch(`/api/users/${demoted.adminId}`, { role: 'technician' })).status).toBe(200);
    expect((await demoted.script.post('/api/users', newAdmin('demoted'))).status).toBe(401);

    const deleted = await adminWithToken();
    expect((await owner.delete(`/api/users/${deleted.adminId}`)).status).toBe(200);
    expect((await deleted.script.get('/api/users')).status).toBe(401);
  });

  it('keeps the tokens of a user who is renamed or promoted', async () => {
    const { script, adminId } = await adminWithToken();
    expect((await owner.patch(`/api/users/${adminId}`, { name: 'Renamed' })).status).toBe(200);
    expect((await owner.patch(`/api/users/${adminId}`, { role: 'owner' })).status).toBe(200);
    expect((await script.get('/api/users')).status).toBe(200);
  });
});

forEachDatabase('API token secrets in logs', (dialect) => {
  it('never writes a token secret to the request log', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const { db, drop } = await createTestDatabase(dialect);
    const clock = new ManualClock();
    const ctx: AppContext = {
      db,
      clock,
      bus: new EventBus(),
      secrets: SecretBox.fromKey(randomBytes(32)),
      log: pino({ level: 'trace' }, sink),
      settings: DEFAULT_SETTINGS,
    };
    const app = await buildApp(ctx);
    try {
      const hub: TestHub = { app, ctx, clock, dialect, close: async () => {} };
      const owner = await setupOwner(hub);
      const { secret } = (await owner.post('/api/tokens', { name: 'logged?', role: 'admin' })).body;
      await bearer(hub, secret).get('/api/tokens');
      await bearer(hub, secret).get('/api/nothing-here');
      expect(lines.length).toBeGreaterThan(3);
      expect(lines.join('\n')).not.toContain(secret);
    } finally {
      await app.close();
      await drop();
    }
  });
});
