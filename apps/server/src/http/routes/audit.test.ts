import { afterEach, beforeEach, expect, it } from 'vitest';
import { currentTotp } from '../../domain/auth/totp.js';
import { newId } from '../../lib/ids.js';
import { bearer, OWNER, setupOwner, userWithRole, type TestAgent } from '../../test/agent.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

forEachDatabase('audit log', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());

  it('records user, token and profile changes with every secret masked', async () => {
    const password = 'password of the new user';
    const user = await owner.post('/api/users', {
      email: 'tech@example.com',
      name: 'Tech',
      role: 'technician',
      password,
    });
    hub.clock.advance(1000);
    await owner.patch(`/api/users/${user.body.id}`, { password: 'reset password value', disabled: true });
    const { secret } = (await owner.post('/api/tokens', { name: 'script', role: 'admin' })).body;
    const setup = (await owner.post('/api/me/totp/setup')).body;
    await owner.post('/api/me/totp/enable', { code: currentTotp(setup.secret, hub.clock.now()) });
    await owner.patch('/api/me', { currentPassword: OWNER.password, newPassword: 'a new owner password' });

    const rows = await hub.ctx.db.kysely.selectFrom('audit_events').selectAll().execute();
    const stored = JSON.stringify(rows);
    const hashes = await hub.ctx.db.kysely.selectFrom('users').select(['password_hash', 'totp_secret_enc']).execute();
    for (const leak of [
      password,
      'reset password value',
      'a new owner password',
      OWNER.password,
      secret,
      setup.secret,
      ...hashes.flatMap((h) => [h.password_hash, h.totp_secret_enc ?? 'none']),
    ]) {
      expect(stored).not.toContain(leak);
    }
    const actions = rows.map((r) => r.action).sort();
    expect(actions).toEqual(
      [
        'token.create',
        'user.create',
        'user.create',
        'user.profile',
        'user.totp_enable',
        'user.totp_setup',
        'user.update',
      ].sort(),
    );

    const page = await owner.get(`/api/audit?entityId=${user.body.id}`);
    expect(page.status).toBe(200);
    expect(page.body.items.map((e: { action: string }) => e.action)).toEqual(['user.update', 'user.create']);
    const update = page.body.items[0];
    expect(update).toMatchObject({
      entityType: 'user',
      actor: { type: 'user', label: OWNER.email },
      before: { disabled: false },
      after: { disabled: true },
    });
    expect(update.summary).toMatch(/disabled, password reset/);
  });

  it('pages newest first with a cursor, and filters', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      hub.clock.advance(i === 2 ? 0 : 1000); // two events share a timestamp: the id breaks the tie
      created.push((await owner.post('/api/tokens', { name: `t${i}`, role: 'technician' })).body.token.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: {
        status: number;
        body: { items: { entityId: string; at: string }[]; nextCursor: string | null; total: number };
      } = await owner.get(`/api/audit?entityType=token&limit=2${cursor ? `&before=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(5);
      seen.push(...res.body.items.map((e) => e.entityId));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen.slice(0, 2)).toEqual([created[4], created[3]]);
    expect(new Set(seen.slice(2, 4))).toEqual(new Set([created[2], created[1]]));
    expect(seen[4]).toBe(created[0]);

    const ownerId = (await owner.get('/api/me')).body.id;
    const byActor = await owner.get(`/api/audit?actorId=${ownerId}&entityType=user`);
    expect(byActor.body.items).toHaveLength(0); // setup was done by the system, not the owner
    expect((await owner.get(`/api/audit?clientId=${newId()}`)).body.total).toBe(0);
  });

  it('refuses a cursor it did not make, and client accounts', async () => {
    const bad = await owner.get('/api/audit?before=garbage');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.before).toMatch(/nextCursor/);
    expect((await owner.get('/api/audit?limit=0')).status).toBe(400);

    const now = hub.clock.now().toISOString();
    const clientId = newId();
    await hub.ctx.db.kysely
      .insertInto('clients')
      .values({
        id: clientId,
        name: 'C',
        name_lower: 'c',
        notes: '',
        contract_json: '{}',
        archived_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const client = await userWithRole(owner, 'client', clientId);
    expect((await client.get('/api/audit')).status).toBe(403);
    const tech = await userWithRole(owner, 'technician');
    expect((await tech.get('/api/audit')).status).toBe(200);
    const { secret } = (await owner.post('/api/tokens', { name: 'c', role: 'client', clientId })).body;
    expect((await bearer(hub, secret).get('/api/audit')).status).toBe(403);
  });

  it('names what an entry is about and the ids it mentions, and filters by checks and heartbeats', async () => {
    const client = (await owner.post('/api/clients', { name: 'Harbour Dental' })).body;
    const site = (await owner.post('/api/sites', { clientId: client.id, name: 'High Street', timeZone: 'UTC' })).body;
    const ups = (await owner.post('/api/systems', { siteId: site.id, name: 'UPS', kind: 'ups' })).body;
    const host = (await owner.post('/api/systems', { siteId: site.id, name: 'Host', kind: 'hypervisor' })).body;
    await owner.patch(`/api/systems/${host.id}`, { dependsOn: [ups.id], criticality: 'critical' });
    const check = await owner.post('/api/checks', {
      systemId: host.id,
      name: 'Host port',
      kind: 'tcp',
      params: { host: '127.0.0.1', port: 9 },
      paused: true,
    });
    await owner.post('/api/heartbeats', {
      systemId: host.id,
      name: 'Nightly backup',
      schedule: { kind: 'period', periodS: 86_400, graceS: 3_600 },
    });

    const systems = (await owner.get('/api/audit?entityType=system')).body.items;
    const update = systems.find((e: { action: string }) => e.action === 'system.update');
    expect(update).toMatchObject({
      entityName: 'Host',
      names: { [client.id]: 'Harbour Dental', [site.id]: 'High Street', [ups.id]: 'UPS' },
      before: { dependsOn: [] },
      after: { dependsOn: [ups.id], criticality: 'critical' },
    });
    const checks = (await owner.get('/api/audit?entityType=check')).body.items;
    expect(checks.map((e: { entityId: string; entityName: string }) => [e.entityId, e.entityName])).toEqual([
      [check.body.id, 'Host port'],
    ]);
    const heartbeats = (await owner.get('/api/audit?entityType=heartbeat')).body.items;
    expect(heartbeats.map((e: { entityName: string }) => e.entityName)).toEqual(['Nightly backup']);
    // Deleted: the name is gone, the entry stays.
    expect((await owner.delete(`/api/systems/${ups.id}`)).status).toBe(200);
    const after = (await owner.get('/api/audit?entityType=system')).body.items;
    expect(after.find((e: { action: string }) => e.action === 'system.update').names[ups.id]).toBeUndefined();
  });
});
