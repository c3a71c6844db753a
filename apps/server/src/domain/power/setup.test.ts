import { beforeEach, expect, it } from 'vitest';
import { setupOwner, userWithRole, type TestAgent } from '../../test/agent.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const KEY_A = `SHA256:${'A'.repeat(43)}`;
const KEY_B = `SHA256:${'b'.repeat(42)}0`;

forEachDatabase('power setup: UPSes, outages, host-key pins', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
    return () => hub.close();
  });

  it('adds, changes and removes a UPS with its own poll and "stable for" times; bad values are 400s naming the field', async () => {
    const { site } = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
    const power = async () => (await owner.get(`/api/sites/${site.id}/power`)).body;
    const settings = { host: '10.0.0.2', ups: 'office', username: 'mon', password: 'ups-secret' };
    const added = await owner.post(`/api/sites/${site.id}/power/ups`, {
      name: 'Office UPS',
      kind: 'nut',
      settings,
      pollSeconds: 2,
      stableMinutes: 10,
    });
    expect(added.status).toBe(201);
    expect((await power()).ups).toEqual([
      {
        id: added.body.id,
        name: 'Office UPS',
        kind: 'nut',
        settings: { ...settings, password: '***' },
        pollSeconds: 2,
        stableMinutes: 10,
      },
    ]);
    const config = (await import('./queries.js')).powerConfigForSite;
    expect((await config(hub.ctx, site.id)).ups[0]).toMatchObject({
      pollMs: 2000,
      settings: { password: 'ups-secret' },
    });

    const bad = [
      [{ pollSeconds: 0 }, 'pollSeconds'],
      [{ pollSeconds: 61 }, 'pollSeconds'],
      [{ pollSeconds: 1.5 }, 'pollSeconds'],
      [{ stableMinutes: -1 }, 'stableMinutes'],
      [{ stableMinutes: 121 }, 'stableMinutes'],
      [{ settings: { ups: 'office' } }, 'settings.host'],
      [{ settings: { host: '10.0.0.2' } }, 'settings.ups'],
      [{ settings: { ...settings, port: 70000 } }, 'settings.port'],
      [{ settings: { ...settings, colour: 'red' } }, 'settings'],
    ] as const;
    for (const [change, field] of bad) {
      const reply = await owner.put(`/api/power/ups/${added.body.id}`, {
        name: 'Office UPS',
        kind: 'nut',
        settings,
        ...change,
      });
      expect(reply.status, JSON.stringify(change)).toBe(400);
      expect(Object.keys(reply.body.error.fields ?? {}).join(), JSON.stringify(change)).toContain(field);
    }

    // "***" keeps the stored password; null goes back to the hub's defaults.
    const changed = await owner.put(`/api/power/ups/${added.body.id}`, {
      name: 'Server-room UPS',
      kind: 'nut',
      settings: { ...settings, password: '***', port: 3494 },
      pollSeconds: null,
      stableMinutes: null,
    });
    expect(changed.status).toBe(200);
    expect((await power()).ups[0]).toMatchObject({ name: 'Server-room UPS', pollSeconds: null, stableMinutes: null });
    const sent = (await config(hub.ctx, site.id)).ups[0];
    expect(sent?.settings).toMatchObject({ port: 3494, password: 'ups-secret' });
    expect(sent?.pollMs).toBeUndefined();

    expect((await owner.delete(`/api/power/ups/${added.body.id}`)).status).toBe(200);
    expect((await power()).ups).toEqual([]);
    expect((await owner.delete(`/api/power/ups/${added.body.id}`)).status).toBe(404);
    const audit = await hub.ctx.db.kysely.selectFrom('audit_events').select(['action', 'after_json']).execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['power.ups.add', 'power.ups.update', 'power.ups.remove']),
    );
    expect(JSON.stringify(audit)).not.toContain('ups-secret');
  });

  it('client users cannot change power setup, and nobody reaches another firm’s UPS or outage', async () => {
    const mine = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
    const theirs = await insertClientWithSystem(hub.ctx.db.kysely, 'Quay Accountants');
    const ups = await owner.post(`/api/sites/${theirs.site.id}/power/ups`, {
      name: 'UPS',
      kind: 'snmp',
      settings: { host: '10.0.0.3', auth: { version: 'v2c', community: 'public' } },
    });
    expect(ups.status).toBe(201);
    const outage = await owner.post(`/api/sites/${theirs.site.id}/power/outages`, {
      startsAt: '2026-12-12T08:00:00.000Z',
      endsAt: '2026-12-12T16:00:00.000Z',
      note: 'street works',
    });
    expect(outage.status).toBe(201);
    const client = await userWithRole(owner, 'client', mine.site.client_id);
    const body = { name: 'x', kind: 'nut', settings: { host: 'h', ups: 'u' } };
    for (const reply of [
      await client.put(`/api/power/ups/${ups.body.id}`, body),
      await client.delete(`/api/power/ups/${ups.body.id}`),
      await client.delete(`/api/power/outages/${outage.body.id}`),
    ])
      expect(reply.status).toBe(403);
    const otherClient = await userWithRole(owner, 'client', mine.site.client_id);
    expect((await otherClient.get(`/api/sites/${theirs.site.id}/power`)).status).toBe(404);

    expect((await owner.delete(`/api/power/outages/${outage.body.id}`)).status).toBe(200);
    expect((await owner.get(`/api/sites/${theirs.site.id}/power`)).body.outages).toEqual([]);
  });

  it('re-pinning an SSH host key: owner or admin only, the system name typed, a real fingerprint; audited', async () => {
    const { system } = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
    const url = `/api/systems/${system.id}/power/host-key`;
    expect((await owner.post(url, { hostKey: KEY_A, systemName: system.name })).status).toBe(409);
    await owner.put(`/api/systems/${system.id}/power`, {
      shutdown: { kind: 'ssh', settings: { host: '10.0.0.5', username: 'admin', password: 'pw' } },
      startup: null,
    });
    const technician = await userWithRole(owner, 'technician');
    expect((await technician.post(url, { hostKey: KEY_A, systemName: system.name })).status).toBe(403);
    const wrongName = await owner.post(url, { hostKey: KEY_A, systemName: 'another' });
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.error.fields).toEqual({ systemName: `must be the system's name, "${system.name}"` });
    const wrongKey = await owner.post(url, { hostKey: 'SHA256:short', systemName: system.name });
    expect(wrongKey.status).toBe(400);
    expect(wrongKey.body.error.fields).toHaveProperty('hostKey');

    const admin = await userWithRole(owner, 'admin');
    expect((await admin.post(url, { hostKey: KEY_A, systemName: system.name })).status).toBe(200);
    const shown = async () =>
      (await owner.get(`/api/sites/${system.site_id}/power`)).body.systems.find(
        (s: { systemId: string }) => s.systemId === system.id,
      );
    expect(await shown()).toMatchObject({ hostKey: KEY_A, hostKeyRefused: null });
    expect((await shown()).hostKeyPinnedAt).not.toBeNull();
    const { powerConfigForSite } = await import('./queries.js');
    const sent = (await powerConfigForSite(hub.ctx, system.site_id)).systems.find((s) => s.id === system.id);
    expect(sent?.shutdown?.settings.hostKey).toBe(KEY_A);

    // Same host: the pin stays; another host: the pin goes (the new host is pinned on first use).
    await owner.put(`/api/systems/${system.id}/power`, {
      shutdown: { kind: 'ssh', settings: { host: '10.0.0.5', username: 'root', password: '***' } },
      startup: null,
    });
    expect((await shown()).hostKey).toBe(KEY_A);
    await owner.post(url, { hostKey: KEY_B, systemName: system.name });
    expect((await shown()).hostKey).toBe(KEY_B);
    await owner.put(`/api/systems/${system.id}/power`, {
      shutdown: { kind: 'ssh', settings: { host: '10.0.0.6', username: 'root', password: '***' } },
      startup: null,
    });
    expect(await shown()).toMatchObject({ hostKey: null, hostKeyPinnedAt: null });
    const audit = await hub.ctx.db.kysely
      .selectFrom('audit_events')
      .select('summary')
      .where('action', '=', 'power.host-key.repin')
      .execute();
    expect(audit.map((a) => a.summary).sort()).toEqual([
      `SSH host key of ${system.name} re-pinned: ${KEY_A} (was not pinned)`,
      `SSH host key of ${system.name} re-pinned: ${KEY_B} (was ${KEY_A})`,
    ]);
  });
});
