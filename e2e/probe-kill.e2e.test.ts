import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './agent-process.js';
import {
  addClientSiteSystem,
  createStorage,
  setUpOwner,
  startHub,
  query,
  type ApiSession,
  type HubStorage,
  type RunningHub,
} from './hub-process.js';

const INTERVAL_S = 10;

/** A page that answers "ok", or holds every request (never answers) while `hold` is on. */
async function target() {
  const held: ServerResponse[] = [];
  let holding = false;
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    if (holding) held.push(res);
    else res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    held,
    requests: () => requests,
    hold(on: boolean) {
      holding = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The built-in probe killed with SIGKILL while a run is in flight. SQLite (schedule in memory: a run's
 * next_run_at moves with its stored result) runs it again as soon as the hub is back, so no run is lost; on
 * PostgreSQL (each run claimed before it starts, so that several hub processes never take the same one) it
 * is lost, and the check runs at its next slot. Either way no run is stored twice.
 */
describe.each(['sqlite', 'postgres'] as const)('built-in probe under kill -9 [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  let api: ApiSession;
  let page: Awaited<ReturnType<typeof target>>;

  beforeAll(async () => {
    page = await target();
    storage = await createStorage(dialect);
    hub = await startHub(storage);
    api = await setUpOwner(hub, {
      name: 'Olive Owner',
      email: 'olive@example.com',
      password: 'a long enough password',
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await storage?.destroy();
    await page?.close();
  });

  it('a run in flight at the kill: run again at the restart on SQLite, lost on PostgreSQL; none stored twice', async () => {
    const scene = await addClientSiteSystem(api, {
      client: 'Harbour Dental',
      site: 'Main office',
      timeZone: 'Europe/London',
      system: 'Booking site',
      kind: 'server',
    });
    const made = await api.call('POST', '/api/checks', {
      systemId: scene.systemId,
      name: 'Booking page',
      kind: 'http',
      probe: 'hub',
      intervalS: INTERVAL_S,
      timeoutMs: 5000,
      params: { url: `http://127.0.0.1:${page.port}/` },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.id as string;
    const results = async () =>
      (await query<{ at: string }>(storage, 'select at from check_results where check_id = ? order by at', [id])).map(
        (r) => new Date(r.at).getTime(),
      );
    const nextRun = async () =>
      new Date(
        (await query<{ next_run_at: string | Date }>(storage, 'select next_run_at from checks where id = ?', [id]))[0]!
          .next_run_at,
      ).getTime();

    // A first run stored (its result moved the schedule on), then the next one held by the page when the hub dies.
    await eventually('a first result', async () => (await results()).length >= 1, 30_000);
    const stored = await results();
    page.hold(true);
    await eventually('a run in flight', async () => page.held.length === 1, 30_000);
    const heldAt = Date.now();
    await hub.crash();
    page.hold(false);

    const next = await nextRun();
    if (dialect === 'sqlite')
      expect(next).toBeLessThanOrEqual(heldAt); // still due: the run was never stored
    else expect(next).toBeGreaterThan(heldAt); // claimed before it started

    hub = await startHub(storage, hub.port);
    const restartedAt = Date.now();
    await eventually('a result after the restart', async () => (await results()).length > stored.length, 30_000);
    const after = await results();
    const first = after[stored.length]!;
    if (dialect === 'sqlite')
      expect(first).toBeLessThan(restartedAt + 3000); // at once, not at the next slot
    else expect(first).toBeGreaterThanOrEqual(next - 1000); // at the next slot
    expect(new Set(after).size).toBe(after.length); // nothing stored twice
    await eventually('the schedule moved on', async () => (await nextRun()) > first);
  });
});
