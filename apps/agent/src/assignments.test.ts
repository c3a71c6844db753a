import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult } from '@afterhours/checks';
import type { AssignedCheck } from '@afterhours/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { startAgent } from './agent.js';
import { AssignmentStore } from './assignments.js';
import { silentLogger } from './log.js';

const SECRET = 'hunter2-the-nas-password';
const check = (id: string, params: Record<string, unknown> = {}): AssignedCheck => ({
  id,
  kind: 'tcp',
  params,
  intervalS: 1,
  timeoutMs: 500,
});
const UP: CheckResult = { status: 'up', latencyMs: 1, message: 'ok' };

describe('the saved assignments', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'afterhours-assign-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are encrypted, owner-only, written whole, and read back', async () => {
    const store = AssignmentStore.open(dir, silentLogger());
    const checks = [check('a', { host: 'nas', password: SECRET })];
    await store.save(checks, new Date('2026-01-05T06:00:00Z'));

    const file = join(dir, 'assignments.json');
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
    expect(readFileSync(file, 'utf8')).not.toContain('nas');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const again = await AssignmentStore.open(dir, silentLogger()).load();
    expect(again).toEqual({ checks, savedAt: '2026-01-05T06:00:00.000Z' });
  });

  it('are replaced by a new set, and forgotten', async () => {
    const store = AssignmentStore.open(dir, silentLogger());
    await store.save([check('a'), check('b')], new Date());
    await store.save([check('c')], new Date());
    expect((await AssignmentStore.open(dir, silentLogger()).load())?.checks.map((c) => c.id)).toEqual(['c']);
    await store.forget();
    expect(await AssignmentStore.open(dir, silentLogger()).load()).toBeUndefined();
  });

  it('are ignored, not fatal, when the key no longer opens them', async () => {
    await AssignmentStore.open(dir, silentLogger()).save([check('a')], new Date());
    writeFileSync(join(dir, 'secret.key'), `${Buffer.alloc(32, 7).toString('base64')}\n`);
    expect(await AssignmentStore.open(dir, silentLogger()).load()).toBeUndefined();
  });
});

/** A stand-in hub on a real WebSocket: welcomes the agent and assigns `checks`, or refuses its token. */
async function fakeHub(behaviour: { checks: AssignedCheck[] } | 'refuse') {
  const server: Server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    if (behaviour === 'refuse') {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string };
        if (message.type !== 'hello') return;
        ws.send(JSON.stringify({ type: 'welcome', agentId: 'ag1', siteId: 's1', ackedSeq: 0 }));
        ws.send(JSON.stringify({ type: 'assign', checks: behaviour.checks }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      for (const client of wss.clients) client.terminate();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('an agent that restarts', () => {
  let dir: string;
  let stopAll: (() => Promise<unknown>)[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'afterhours-restart-'));
    stopAll = [];
  });
  afterEach(async () => {
    for (const stop of stopAll.reverse()) await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function agentWith(hub: string) {
    const ran: string[] = [];
    const agent = await startAgent({
      identity: { hub, agentId: 'ag1', siteId: 's1', token: 'aha_test' },
      dataDir: dir,
      log: silentLogger(),
      concurrency: 4,
      buffer: { maxBytes: 1024 * 1024, maxAgeMs: 86_400_000 },
      runner: async (c) => {
        ran.push(c.id);
        return UP;
      },
    });
    stopAll.push(() => agent.stop());
    return { agent, ran };
  }

  it('runs the checks it was last given at once, with the hub out of reach', async () => {
    const hub = await fakeHub({ checks: [check('nas', { password: SECRET }), check('printer')] });
    const first = await agentWith(hub.url);
    await vi.waitFor(() => expect(new Set(first.ran)).toEqual(new Set(['nas', 'printer'])), { timeout: 5000 });
    await first.agent.stop();
    await hub.close();

    // The hub is gone (nothing listens there now): the restarted agent runs both checks anyway.
    const second = await agentWith(hub.url);
    await vi.waitFor(() => expect(new Set(second.ran)).toEqual(new Set(['nas', 'printer'])), { timeout: 5000 });
  });

  it('replaces the saved checks when the hub sends a new set', async () => {
    await AssignmentStore.open(dir, silentLogger()).save([check('old')], new Date());
    const hub = await fakeHub({ checks: [check('new')] });
    stopAll.push(() => hub.close());
    const { agent } = await agentWith(hub.url);
    await vi.waitFor(
      async () =>
        expect((await AssignmentStore.open(dir, silentLogger()).load())?.checks.map((c) => c.id)).toEqual(['new']),
      { timeout: 5000 },
    );
    await agent.stop();
  });

  it('forgets its checks and exits 78 when the hub refuses its token', async () => {
    await AssignmentStore.open(dir, silentLogger()).save([check('a')], new Date());
    const hub = await fakeHub('refuse');
    stopAll.push(() => hub.close());
    const { agent } = await agentWith(hub.url);
    expect(await agent.done).toBe(78);
    expect(await AssignmentStore.open(dir, silentLogger()).load()).toBeUndefined();
  });
});
