import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChangeEvent } from '@afterhours/shared';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import { insertClientWithSystem, insertDependency, insertSystem } from '../../test/factories.js';
import { insertCheck } from '../../test/checks.js';
import { listen } from '../../test/heartbeats.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { openLive } from '../../test/live.js';
import { ingestResults, type IncomingResult } from './ingest.js';

const T = (minute: number) => new Date(Date.UTC(2026, 11, 6, 9, minute)).toISOString();
const result = (
  checkId: string,
  at: string,
  status: 'up' | 'degraded' | 'down',
  message = 'ok',
  latencyMs: number | null = status === 'down' ? null : 10,
): IncomingResult => ({ checkId, at, status, latencyMs, message });

/** A web server whose answer the test sets: what the hub's http check talks to. */
async function webServer() {
  let code = 200;
  const server: Server = createServer((_req, res) => {
    res.statusCode = code;
    res.end('hello');
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  return {
    url: `http://127.0.0.1:${port}/`,
    answer: (next: number) => {
      code = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Watches the live channel while `steps` run, and answers, per step, the checks it announced. After each
 * step the test publishes a marker through the same bus: events arrive in order, so whatever a step
 * announced arrives before its marker, and a step that announced nothing shows as an empty list.
 */
async function announcedPerStep(hub: TestHub, owner: TestAgent, steps: Array<() => Promise<unknown>>) {
  const cookie = (owner as unknown as { auth: { cookie: string } }).auth.cookie;
  const live = await openLive(await listen(hub), cookie);
  const mark = (i: number): ChangeEvent => ({
    entity: 'client',
    id: `step-${i}`,
    action: 'updated',
    clientId: null,
    at: T(0),
  });
  for (const [i, step] of steps.entries()) {
    await step();
    hub.ctx.bus.publish(mark(i));
  }
  await live.until((seen) => seen.some((e) => e.id === `step-${steps.length - 1}`));
  await live.close();
  const perStep: string[][] = [[]];
  for (const e of live.events) {
    if (e.id.startsWith('step-')) perStep.push([]);
    else if (e.entity === 'check') perStep.at(-1)!.push(e.id);
  }
  return perStep.slice(0, steps.length);
}

forEachDatabase('a check’s shown reason changing is announced live', (dialect) => {
  let hub: TestHub;
  let web: Awaited<ReturnType<typeof webServer>>;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    web = await webServer();
  });
  afterEach(async () => {
    await hub.close();
    await web.close();
  });

  it('announces a down check whose message changes, once, and not again while it stays the same', async () => {
    const owner = await setupOwner(hub);
    const { system } = await insertClientWithSystem(hub.ctx.db.kysely);
    // Daily, and down at the first failure: only "run now" runs it here.
    const daily = { intervalS: 86_400, failuresBeforeDown: 1 };
    const created = await owner.post('/api/checks', {
      ...daily,
      systemId: system.id,
      name: 'Shop',
      kind: 'http',
      params: { url: web.url },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const run = (code: number, message: string) => async () => {
      web.answer(code);
      hub.clock.advance(60_000);
      const ran = await owner.post(`/api/checks/${id}/run`, {});
      expect(ran.status).toBe(200);
      expect(ran.body.result.message).toContain(message);
    };
    const announced = await announcedPerStep(hub, owner, [
      run(200, 'HTTP 200'),
      run(200, 'HTTP 200'),
      run(503, 'HTTP 503'),
      run(500, 'HTTP 500'),
      run(500, 'HTTP 500'),
      run(200, 'HTTP 200'),
    ]);
    expect(announced).toEqual([[id], [], [id], [id], [], [id]]);
    const shown = await owner.get(`/api/checks/${id}`);
    expect(shown.body).toMatchObject({ state: 'up' });
  });

  it('announces a degraded ping once, not again for each new round-trip time, and again when its reason changes', async () => {
    const owner = await setupOwner(hub);
    const db = hub.ctx.db.kysely;
    const { system } = await insertClientWithSystem(db);
    const ping = await insertCheck(db, system, { kind: 'ping', failures_before_down: 1 });
    const slow = (minute: number, rtt: number) => () =>
      ingestResults(hub.ctx, { type: 'hub' }, [
        result(
          ping.id,
          T(minute),
          'degraded',
          `slow replies (over 200 ms): 3/3 replies from gw, average ${rtt} ms`,
          rtt,
        ),
      ]);
    const announced = await announcedPerStep(hub, owner, [
      slow(1, 312.4),
      slow(2, 298.1),
      slow(3, 405),
      () =>
        ingestResults(hub.ctx, { type: 'hub' }, [
          result(ping.id, T(4), 'degraded', '33% packet loss: 2/3 replies from gw, average 12.5 ms', 12.5),
        ]),
      slow(5, 250.2),
      () =>
        ingestResults(hub.ctx, { type: 'hub' }, [
          result(ping.id, T(6), 'down', 'no reply from gw (3 sent, 100% packet loss)'),
        ]),
    ]);
    expect(announced).toEqual([[ping.id], [], [], [ping.id], [ping.id], [ping.id]]);
    // The row holds the newest message all the same: a screen that reads it shows the latest round trip.
    const shown = await owner.get(`/api/checks/${ping.id}`);
    expect(shown.body).toMatchObject({ state: 'down' });
    expect(shown.body.lastResult.message).toBe('no reply from gw (3 sent, 100% packet loss)');
  });

  it('announces an unknown check whose cause changes, and not a result that leaves it as it was', async () => {
    const owner = await setupOwner(hub);
    const db = hub.ctx.db.kysely;
    const { site, system: app } = await insertClientWithSystem(db);
    const router = await insertSystem(db, site, { name: 'Router' });
    const server = await insertSystem(db, site, { name: 'Server' });
    await insertDependency(db, app, router);
    await insertDependency(db, app, server);
    const [appCheck, routerCheck, serverCheck] = await Promise.all(
      [app, router, server].map((s) => insertCheck(db, s, { failures_before_down: 1 })),
    );
    const ingest =
      (...results: IncomingResult[]) =>
      () =>
        ingestResults(hub.ctx, { type: 'hub' }, results);
    const announced = await announcedPerStep(hub, owner, [
      ingest(
        result(appCheck!.id, T(1), 'up'),
        result(routerCheck!.id, T(1), 'up'),
        result(serverCheck!.id, T(1), 'up'),
      ),
      ingest(result(routerCheck!.id, T(2), 'down', 'no route')),
      ingest(result(serverCheck!.id, T(3), 'down', 'refused')),
      ingest(result(routerCheck!.id, T(4), 'up')),
      ingest(result(appCheck!.id, T(5), 'up')),
      ingest(result(appCheck!.id, T(6), 'up')),
    ]);
    const sorted = (ids: string[]) => [...ids].sort();
    expect(announced.map(sorted)).toEqual([
      sorted([appCheck!.id, routerCheck!.id, serverCheck!.id]),
      sorted([routerCheck!.id, appCheck!.id]),
      [serverCheck!.id],
      [routerCheck!.id],
      [appCheck!.id],
      [],
    ]);
    const row = await db.selectFrom('checks').selectAll().where('id', '=', appCheck!.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'unknown', cause_type: 'system', state_reason: 'because Server is down' });
  });
});
