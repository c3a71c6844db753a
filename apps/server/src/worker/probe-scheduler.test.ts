import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { AppContext } from '../context.js';
import { ProbeRunner } from '../domain/monitoring/probe-runner.js';
import { systemClock } from '../lib/clock.js';
import { insertCheck } from '../test/checks.js';
import { countRows, insertClientWithSystem } from '../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { ProbeScheduler } from './probe-scheduler.js';
import { ResultWriter } from './result-writer.js';
import { nextRunAfter } from '../lib/check-schedule.js';
import type { Timers } from './timers.js';

/** Timers that never fire: the test calls poll() and flush() itself. */
const stillTimers: Timers = { setTimeout: () => ({}), clearTimeout: () => {} };

const listen = <S extends TcpServer | HttpServer>(server: S) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
const close = (server: TcpServer | HttpServer) => new Promise<void>((resolve) => server.close(() => resolve()));

/** An HTTP server that answers after `delayMs`, counting requests and the most it held at once. */
function slowHttp(delayMs: number) {
  const stats = { requests: 0, open: 0, maxOpen: 0, byPath: new Map<string, number>() };
  const server = createHttpServer((req, res) => {
    stats.requests++;
    stats.open++;
    stats.maxOpen = Math.max(stats.maxOpen, stats.open);
    stats.byPath.set(req.url ?? '', (stats.byPath.get(req.url ?? '') ?? 0) + 1);
    setTimeout(() => {
      stats.open--;
      res.end('ok');
    }, delayMs);
  });
  return { server, stats };
}

forEachDatabase('built-in probe', (dialect) => {
  let hub: TestHub;
  let ctx: AppContext;
  const servers: Array<TcpServer | HttpServer> = [];
  const schedulers: ProbeScheduler[] = [];
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    ctx = { ...hub.ctx, clock: systemClock }; // real time against real servers
  });
  afterEach(async () => {
    for (const s of schedulers.splice(0)) await s.stop();
    for (const s of servers.splice(0)) await close(s);
    await hub.close();
  });
  const db = () => hub.ctx.db.kysely;
  const now = () => new Date().toISOString();
  const scheduler = (options: ConstructorParameters<typeof ProbeScheduler>[1] = {}) => {
    const s = new ProbeScheduler(ctx, { pollMs: 100, runner: new ProbeRunner(ctx), ...options });
    schedulers.push(s);
    return s;
  };

  it('runs due TCP and HTTP checks against real servers and stores their results', async () => {
    const tcp = createTcpServer((socket) => socket.end());
    const { server: http } = slowHttp(0);
    servers.push(tcp, http);
    const tcpPort = await listen(tcp);
    const httpPort = await listen(http);
    const closed = createTcpServer();
    const closedPort = await listen(closed);
    await close(closed);
    const { system } = await insertClientWithSystem(db());
    const open = await insertCheck(db(), system, {
      kind: 'tcp',
      params_json: JSON.stringify({ host: '127.0.0.1', port: tcpPort }),
      next_run_at: now(),
    });
    const web = await insertCheck(db(), system, {
      kind: 'http',
      params_json: JSON.stringify({ url: `http://127.0.0.1:${httpPort}/` }),
      next_run_at: now(),
    });
    const refused = await insertCheck(db(), system, {
      kind: 'tcp',
      params_json: JSON.stringify({ host: '127.0.0.1', port: closedPort }),
      next_run_at: now(),
    });
    const notYet = await insertCheck(db(), system, { next_run_at: new Date(Date.now() + 3600_000).toISOString() });
    const agentCheck = await insertCheck(db(), system, { probe: 'agent', next_run_at: now() });

    const s = scheduler({ writer: new ResultWriter(ctx, stillTimers, { maxBatch: 500, maxDelayMs: 1000 }) });
    s.start();
    await expect.poll(() => s.stats.started, { timeout: 10_000 }).toBe(3);
    await expect.poll(() => s.writer.waiting + s.writer.written, { timeout: 10_000 }).toBe(3);
    await s.writer.flush();

    const states = await db()
      .selectFrom('checks')
      .select(['id', 'state', 'last_message', 'next_run_at', 'interval_s'])
      .execute();
    const byId = new Map(states.map((r) => [r.id, r]));
    expect(byId.get(open.id)).toMatchObject({ state: 'up', last_message: `port ${tcpPort} open on 127.0.0.1` });
    expect(byId.get(web.id)).toMatchObject({ state: 'up', last_message: 'HTTP 200 OK' });
    expect(byId.get(refused.id)!.state).toBe('down');
    expect(byId.get(refused.id)!.last_message).toContain('refused');
    expect(byId.get(notYet.id)!.state).toBe('unknown');
    expect(byId.get(agentCheck.id)!.state).toBe('unknown');
    expect(Date.parse(byId.get(open.id)!.next_run_at!)).toBeGreaterThan(Date.now());
    expect(await countRows(db(), 'check_results')).toBe(3);
  });

  it('runs at most `concurrency` checks at once and every due check in the end', async () => {
    const { server, stats } = slowHttp(300);
    servers.push(server);
    const port = await listen(server);
    const { system } = await insertClientWithSystem(db());
    for (let i = 0; i < 10; i++) {
      await insertCheck(db(), system, {
        kind: 'http',
        params_json: JSON.stringify({ url: `http://127.0.0.1:${port}/${i}` }),
        next_run_at: now(),
      });
    }
    const s = scheduler({ concurrency: 3 });
    s.start();
    await expect.poll(() => s.writer.written, { timeout: 15_000 }).toBe(10);
    expect(stats.requests).toBe(10);
    expect(stats.maxOpen).toBeLessThanOrEqual(3);
    expect(stats.maxOpen).toBeGreaterThan(1);
  });

  it('never runs a check twice at once: a second request for a running check joins it', async () => {
    const { server, stats } = slowHttp(500);
    servers.push(server);
    const port = await listen(server);
    const { system } = await insertClientWithSystem(db());
    const check = await insertCheck(db(), system, {
      kind: 'http',
      params_json: JSON.stringify({ url: `http://127.0.0.1:${port}/once` }),
    });
    const runner = new ProbeRunner(ctx);
    const [a, b] = await Promise.all([runner.runOnce(check), runner.runOnce(check)]);
    expect(a).toBe(b);
    expect(stats.byPath.get('/once')).toBe(1);

    // The scheduler skips a due run while the same check is still running.
    const s = scheduler({ runner, timers: stillTimers });
    s.start();
    const running = runner.runOnce(check);
    await db().updateTable('checks').set({ next_run_at: now() }).where('id', '=', check.id).execute();
    await s.poll();
    await running;
    expect(s.stats.skippedRunning).toBe(1);
    expect(stats.byPath.get('/once')).toBe(2);
  });

  it('sleeps until one poll ahead of the next due check, and a change to a check wakes it', async () => {
    const { client, system } = await insertClientWithSystem(db());
    const due = Date.now() + 600_000;
    await insertCheck(db(), system, { next_run_at: new Date(due).toISOString() });
    const pending: Array<{ fn: () => void; ms: number }> = [];
    const timers: Timers = {
      setTimeout: (fn, ms) => {
        const timer = { fn, ms };
        pending.push(timer);
        return timer;
      },
      clearTimeout: (timer) => {
        const i = pending.indexOf(timer as (typeof pending)[number]);
        if (i >= 0) pending.splice(i, 1);
      },
    };
    const s = scheduler({ timers, pollMs: 1000, maxSleepMs: 3600_000 });
    s.start();
    expect(pending.map((p) => p.ms)).toEqual([0]);
    pending.shift()!.fn(); // the first look: nothing due for ten minutes
    await expect.poll(() => s.nextPollAt).not.toBeNull();
    expect(s.nextPollAt).toBe(due - 1000);
    expect(pending).toHaveLength(1);

    ctx.bus.publish({ entity: 'check', id: 'new', action: 'created', clientId: client.id, at: now() });
    expect(s.nextPollAt).toBeLessThanOrEqual(Date.now() + 1000);
    expect(pending).toHaveLength(1);
  });

  it('claims each due run once, keeping the check’s phase, even with two hub processes polling at once', async () => {
    const { system } = await insertClientWithSystem(db());
    const base = Date.parse('2026-11-20T17:00:00.000Z');
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const c = await insertCheck(db(), system, {
        interval_s: 60,
        next_run_at: new Date(base + i * 100).toISOString(),
      });
      ids.push(c.id);
    }
    const claimNow = '2026-11-20T17:02:05.000Z';
    const claims = await Promise.all(
      [0, 1, 2, 3].map(() => hub.ctx.db.dialect.claimDueChecks(db(), claimNow, claimNow, 15)),
    );
    const claimed = claims.flat();
    expect(new Set(claimed.map((c) => c.id)).size).toBe(claimed.length);
    expect(claimed.length).toBe(40);
    const rows = await db().selectFrom('checks').select(['id', 'next_run_at']).execute();
    for (const [i, id] of ids.entries()) {
      const due = new Date(base + i * 100).toISOString();
      expect(rows.find((r) => r.id === id)!.next_run_at).toBe(nextRunAfter(due, 60, new Date(claimNow)));
      expect(claimed.find((c) => c.id === id)!.due_at).toBe(
        new Date(Date.parse(nextRunAfter(due, 60, new Date(claimNow))) - 60_000).toISOString(),
      );
    }
    expect(await hub.ctx.db.dialect.claimDueChecks(db(), claimNow, claimNow, 100)).toEqual([]);
  });

  it('gives checks without a next run one inside their first interval, and skips paused ones', async () => {
    const { system } = await insertClientWithSystem(db());
    const fresh = await insertCheck(db(), system, { interval_s: 600 });
    const paused = await insertCheck(db(), system, { paused: 1, next_run_at: '2026-01-01T00:00:00.000Z' });
    const s = scheduler({ timers: stillTimers });
    const before = Date.now();
    await s.poll();
    const row = await db()
      .selectFrom('checks')
      .select('next_run_at')
      .where('id', '=', fresh.id)
      .executeTakeFirstOrThrow();
    expect(Date.parse(row.next_run_at!)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(row.next_run_at!)).toBeLessThan(before + 600_000);
    expect(s.stats.claimed).toBe(Date.parse(row.next_run_at!) <= Date.now() + 100 ? 1 : 0);
    const p = await db()
      .selectFrom('checks')
      .select('next_run_at')
      .where('id', '=', paused.id)
      .executeTakeFirstOrThrow();
    expect(p.next_run_at).toBe('2026-01-01T00:00:00.000Z');
  });

  it('writes results in batches: nothing until the batch is due, then all in one go', async () => {
    const { system } = await insertClientWithSystem(db());
    const a = await insertCheck(db(), system);
    const b = await insertCheck(db(), system);
    let fire: (() => void) | undefined;
    const timers: Timers = { setTimeout: (fn) => ((fire = fn), 1), clearTimeout: () => {} };
    const writer = new ResultWriter(ctx, timers, { maxBatch: 3, maxDelayMs: 1000 });
    writer.add({ checkId: a.id, at: now(), status: 'up', latencyMs: 1, message: 'ok' });
    writer.add({ checkId: b.id, at: now(), status: 'up', latencyMs: 1, message: 'ok' });
    expect(await countRows(db(), 'check_results')).toBe(0);
    fire!();
    await expect.poll(() => writer.written).toBe(2);
    expect(await countRows(db(), 'check_results')).toBe(2);
    for (let i = 0; i < 3; i++)
      writer.add({
        checkId: a.id,
        at: new Date(Date.now() + (i + 1) * 1000).toISOString(),
        status: 'up',
        latencyMs: 1,
        message: 'ok',
      });
    await expect.poll(() => writer.written).toBe(5); // a full batch is written at once, without the timer
  });
});
