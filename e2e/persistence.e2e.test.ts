import { afterEach, describe, expect, it } from 'vitest';
import { ApiSession, createStorage, startHub, type HubStorage, type RunningHub } from './hub-process.js';

const OWNER = { name: 'Pat Owner', email: 'pat@example.com', password: 'a long enough password' };

describe.each(['sqlite', 'postgres'] as const)('the hub keeps its data across a restart [%s]', (dialect) => {
  let storage: HubStorage | undefined;
  let hub: RunningHub | undefined;
  afterEach(async () => {
    await hub?.stop();
    await storage?.destroy();
  });

  it('still has the owner, client, site and systems after stop and start', async () => {
    storage = await createStorage(dialect);
    hub = await startHub(storage);
    const api = new ApiSession(hub.url);
    expect((await api.call('POST', '/api/setup', OWNER)).status).toBe(200);
    const client = await api.call('POST', '/api/clients', { name: 'Harbour Dental' });
    expect(client.status).toBe(201);
    const site = await api.call('POST', '/api/sites', {
      clientId: client.body.id,
      name: 'High Street',
      timeZone: 'Europe/London',
    });
    expect(site.status).toBe(201);
    const ups = await api.call('POST', '/api/systems', { siteId: site.body.id, name: 'UPS', kind: 'ups' });
    const server = await api.call('POST', '/api/systems', {
      siteId: site.body.id,
      name: 'File server',
      kind: 'server',
      dependsOn: [ups.body.id],
    });
    expect(server.status).toBe(201);

    expect(await hub.stop()).toBe(0);
    hub = await startHub(storage);

    const again = new ApiSession(hub.url);
    expect((await again.call('GET', '/api/setup')).body).toEqual({ setupNeeded: false });
    expect(
      (await again.call('POST', '/api/auth/sign-in', { email: OWNER.email, password: OWNER.password })).status,
    ).toBe(200);
    const systems = await again.call('GET', `/api/systems?siteId=${site.body.id}`);
    expect(systems.body.items.map((s: { name: string }) => s.name).sort()).toEqual(['File server', 'UPS']);
    const fileServer = await again.call('GET', `/api/systems/${server.body.id}`);
    expect(fileServer.body.dependsOn).toEqual([{ id: ups.body.id, name: 'UPS' }]);
  });
});
