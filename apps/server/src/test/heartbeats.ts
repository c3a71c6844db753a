import type { AddressInfo } from 'node:net';
import { setupOwner, type TestAgent } from './agent.js';
import { insertClientWithSystem } from './factories.js';
import type { TestHub } from './harness.js';

/** A hub listening on 127.0.0.1 (real HTTP), an owner, a client with a backup system, one heartbeat. */
export async function heartbeatScene(hub: TestHub, heartbeat: Record<string, unknown> = {}) {
  const owner = await setupOwner(hub);
  const scene = await insertClientWithSystem(hub.ctx.db.kysely);
  const created = await owner.post('/api/heartbeats', {
    systemId: scene.system.id,
    name: 'Nightly offsite backup',
    slug: 'nightly',
    ...heartbeat,
  });
  if (created.status !== 201)
    throw new Error(`creating the heartbeat failed: ${created.status} ${JSON.stringify(created.body)}`);
  return { owner, ...scene, heartbeat: created.body as { id: string; slug: string } };
}

/** Starts the app on a loopback port (once) and answers its base URL. */
export async function listen(hub: TestHub): Promise<string> {
  const address = hub.app.server.address() as AddressInfo | null;
  if (address) return `http://127.0.0.1:${address.port}`;
  await hub.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(hub.app.server.address() as AddressInfo).port}`;
}

/** A real HTTP request; answers status, text and headers. */
export async function http(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

export async function makePingKey(owner: TestAgent, clientId: string, autoCreateSystemId?: string): Promise<string> {
  const res = await owner.post(`/api/clients/${clientId}/ping-key`, autoCreateSystemId ? { autoCreateSystemId } : {});
  if (res.status !== 200) throw new Error(`ping key: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.key as string;
}
