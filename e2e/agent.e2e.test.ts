import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startAgent, type RunningAgent } from './agent-process.js';
import { ApiSession, createStorage, startHub, type HubStorage, type RunningHub, query } from './hub-process.js';

/**
 * The real agent process against the real hub process, on both databases, with TCP checks against a
 * real listener on 127.0.0.1. Run after `npm run build`:
 *   npx vitest run --config vitest.e2e.config.ts e2e/agent.e2e.test.ts
 */

const OWNER = { name: 'Pat Owner', email: 'pat@example.com', password: 'a long enough password' };
const CHECKS = 3;
const iso = (v: unknown) => new Date(v as string).toISOString();

/** A TCP service that accepts connections (the checks are up) until it is closed (then they are down). */
async function tcpTarget(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  let closed = false;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe.each(['sqlite', 'postgres'] as const)('the site agent against the hub [%s]', (dialect) => {
  let storage: HubStorage | undefined;
  let hub: RunningHub | undefined;
  let agent: RunningAgent | undefined;
  let target: Awaited<ReturnType<typeof tcpTarget>> | undefined;
  let agentDir: string | undefined;

  afterEach(async () => {
    await agent?.stop('SIGKILL');
    await hub?.stop();
    await target?.close();
    await storage?.destroy();
    if (agentDir) rmSync(agentDir, { recursive: true, force: true });
    delete process.env.AFTERHOURS_AGENT_TIMEOUT_S;
    agent = hub = target = storage = agentDir = undefined;
  });

  /** A hub with one client, site and system; an agent enrolled by its real process; checks at 10 s. */
  async function scene(hubEnv: Record<string, string> = {}) {
    storage = await createStorage(dialect);
    Object.assign(process.env, hubEnv);
    hub = await startHub(storage);
    const api = new ApiSession(hub.url);
    expect((await api.call('POST', '/api/setup', OWNER)).status).toBe(200);
    const client = await api.call('POST', '/api/clients', { name: 'Harbour Dental' });
    const site = await api.call('POST', '/api/sites', {
      clientId: client.body.id,
      name: 'High Street',
      timeZone: 'Europe/London',
    });
    const system = await api.call('POST', '/api/systems', {
      siteId: site.body.id,
      name: 'Front desk PC',
      kind: 'server',
    });
    const created = await api.call('POST', '/api/agents', { siteId: site.body.id, name: 'Office Pi' });
    expect(created.status).toBe(201);
    expect(created.body.command).toBe(
      `curl -fsSL ${hub.url}/agent/install.sh | sudo sh -s -- --enrol ${created.body.enrolCode}`,
    );
    const agentId: string = created.body.agent.id;

    target = await tcpTarget();
    agentDir = mkdtempSync(join(tmpdir(), 'afterhours-agent-e2e-'));
    agent = startAgent(['--hub', hub.url, '--enrol', created.body.enrolCode, '--data-dir', agentDir]);
    await eventually(
      'the agent to come online',
      async () => (await api.call('GET', `/api/agents/${agentId}`)).body.status === 'online',
    );

    const checkIds: string[] = [];
    for (let i = 0; i < CHECKS; i++) {
      const check = await api.call('POST', '/api/checks', {
        systemId: system.body.id,
        name: `Port check ${i + 1}`,
        kind: 'tcp',
        params: { host: '127.0.0.1', port: target.port },
        probe: 'agent',
        agentId,
        intervalS: 10,
        timeoutMs: 2000,
        failuresBeforeDown: 1,
        successesBeforeUp: 1,
      });
      expect(check.status, JSON.stringify(check.body)).toBe(201);
      checkIds.push(check.body.id);
    }
    return { api, agentId, siteId: site.body.id as string, checkIds };
  }

  async function storedResults(checkId: string) {
    const rows = await query<{ at: string; status: string }>(
      storage!,
      'select at, status from check_results where check_id = ? order by at',
      [checkId],
    );
    return rows.map((r) => ({ at: iso(r.at), status: r.status }));
  }

  it('enrols, keeps its token to itself, and its results arrive', async () => {
    const { api, agentId, checkIds } = await scene();
    const identity = JSON.parse(readFileSync(join(agentDir!, 'agent.json'), 'utf8'));
    expect(identity).toMatchObject({ hub: hub!.url, agentId, token: expect.stringMatching(/^aha_/) });
    expect(statSync(join(agentDir!, 'agent.json')).mode & 0o777).toBe(0o600);

    for (const id of checkIds)
      await eventually(`a result for ${id}`, async () => (await storedResults(id)).length > 0, 30_000);
    const shown = await api.call('GET', `/api/agents/${agentId}`);
    expect(shown.body).toMatchObject({
      status: 'online',
      version: expect.any(String),
      hostname: expect.any(String),
      checkCount: CHECKS,
    });
    for (const id of checkIds) expect((await storedResults(id))[0]?.status).toBe('up');
  });

  it('keeps results while the hub is down and delivers each exactly once, with state changes at their original times', async () => {
    const { agentId, checkIds } = await scene();
    for (const id of checkIds)
      await eventually(`a first result for ${id}`, async () => (await storedResults(id)).length > 0, 30_000);

    const port = hub!.port;
    expect(await hub!.stop()).toBe(0);
    await new Promise((r) => setTimeout(r, 3000));
    await target!.close(); // the office's service fails while the hub cannot hear about it
    const downSince = new Date().toISOString();
    // Long enough for every check to run at least once against the closed port, into the disk buffer.
    await eventually(
      'every check to fail while the hub is down',
      async () => checkIds.every((id) => agent!.runs().some((r) => r.checkId === id && r.status === 'down')),
      30_000,
    );
    const hubBackAt = new Date().toISOString();
    hub = await startHub(storage!, port);
    const again = new ApiSession(hub.url);
    expect(
      (await again.call('POST', '/api/auth/sign-in', { email: OWNER.email, password: OWNER.password })).status,
    ).toBe(200);
    await eventually(
      'the agent to reconnect',
      async () => (await again.call('GET', `/api/agents/${agentId}`)).body.status === 'online',
      90_000,
    );

    // The backlog arrives: every run taken while the hub was down is stored.
    const backlog = agent!.runs().filter((r) => r.at < hubBackAt);
    await eventually(
      'the backlog to be stored',
      async () => {
        for (const id of checkIds) {
          const stored = new Set((await storedResults(id)).map((r) => r.at));
          if (!backlog.filter((r) => r.checkId === id).every((r) => stored.has(r.at))) return false;
        }
        return true;
      },
      30_000,
    );

    // Stop the runs so that the agent's log is final, then wait for the hub to hold all of them.
    for (const id of checkIds)
      expect((await again.call('PATCH', `/api/checks/${id}`, { paused: true })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    const runs = agent!.runs();
    await eventually(
      'the hub to store every run the agent logged',
      async () => {
        for (const id of checkIds)
          if ((await storedResults(id)).length < runs.filter((r) => r.checkId === id).length) return false;
        return true;
      },
      30_000,
    );
    for (const id of checkIds) {
      const logged = runs
        .filter((r) => r.checkId === id)
        .map((r) => ({ at: r.at, status: r.status }))
        .sort((a, b) => a.at.localeCompare(b.at));
      expect(await storedResults(id)).toEqual(logged); // each run stored once: none lost, none twice

      const firstDown = logged.find((r) => r.status === 'down')!;
      expect(firstDown.at > downSince).toBe(true);
      expect(firstDown.at < hubBackAt).toBe(true);
      const changes = await query<{ at: string; to_state: string }>(
        storage!,
        "select at, to_state from state_changes where check_id = ? and to_state = 'down'",
        [id],
      );
      expect(changes.map((c) => iso(c.at))).toEqual([firstDown.at]); // replayed with its original time
    }
  });

  it('restarted while the hub is down, runs its checks at once from disk; the hub gets them all, at their times, when back', async () => {
    const { agentId, checkIds } = await scene();
    for (const id of checkIds)
      await eventually(`a first result for ${id}`, async () => (await storedResults(id)).length > 0, 30_000);

    // The office loses power, and its internet stays down when the power comes back.
    const port = hub!.port;
    expect(await hub!.stop()).toBe(0);
    await agent!.stop('SIGKILL');
    const firstRuns = agent!.runs();
    agent = startAgent(['--data-dir', agentDir!]);

    // No hub, yet every check runs, twice, from the assignment saved on disk.
    await eventually(
      'every check to run twice with the hub down',
      async () => checkIds.every((id) => agent!.runs().filter((r) => r.checkId === id).length >= 2),
      60_000,
    );
    expect(agent.lines.some((l) => l.msg === 'connected to the hub')).toBe(false);
    const hubBackAt = new Date().toISOString();

    hub = await startHub(storage!, port);
    const again = new ApiSession(hub.url);
    expect(
      (await again.call('POST', '/api/auth/sign-in', { email: OWNER.email, password: OWNER.password })).status,
    ).toBe(200);
    // Its own log, not the agent's status: the hub may still show it online from before it stopped.
    await eventually(
      'the agent to reconnect',
      async () => agent!.lines.some((l) => l.msg === 'the hub welcomed this agent'),
      90_000,
    );
    expect((await again.call('GET', `/api/agents/${agentId}`)).body.status).toBe('online');
    for (const id of checkIds)
      expect((await again.call('PATCH', `/api/checks/${id}`, { paused: true })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    const secondRuns = agent.runs();
    expect(secondRuns.some((r) => r.at < hubBackAt)).toBe(true);

    for (const id of checkIds) {
      const mine = (runs: typeof secondRuns) =>
        runs.filter((r) => r.checkId === id).map((r) => ({ at: r.at, status: r.status }));
      await eventually(
        `the hub to store every run of ${id} since the restart`,
        async () => {
          const stored = new Set((await storedResults(id)).map((r) => r.at));
          return mine(secondRuns).every((r) => stored.has(r.at));
        },
        30_000,
      );
      const stored = await storedResults(id);
      // Every result stored was taken by the agent, at the time it says (none invented, none twice) …
      const logged = new Map([...mine(firstRuns), ...mine(secondRuns)].map((r) => [r.at, r.status]));
      for (const r of stored) expect(logged.get(r.at), `the result of ${r.at}`).toBe(r.status);
      expect(new Set(stored.map((r) => r.at)).size).toBe(stored.length);
      // … and the window has no hole: the agent was off for about a second, so a check misses at most
      // the one turn due then (or the last second's results, not yet on disk when the power went).
      for (let i = 1; i < stored.length; i++) {
        const gapMs = Date.parse(stored[i]!.at) - Date.parse(stored[i - 1]!.at);
        expect(gapMs, `gap before ${stored[i]!.at}`).toBeLessThan(25_000);
      }
    }
  });

  it('makes the site unreachable when the agent stops, with one root state change and its checks unknown', async () => {
    const { api, agentId, siteId, checkIds } = await scene({ AFTERHOURS_AGENT_TIMEOUT_S: '3' });
    for (const id of checkIds)
      await eventually(`a first result for ${id}`, async () => (await storedResults(id)).length > 0, 30_000);
    const before = new Date().toISOString();
    await agent!.stop('SIGKILL'); // the office loses power: no goodbye

    await eventually(
      'the agent to be unreachable',
      async () => (await api.call('GET', `/api/agents/${agentId}`)).body.status === 'unreachable',
      30_000,
    );
    await eventually('its checks to be unknown', async () => {
      const rows = await query<{ state: string }>(storage!, 'select state from checks where agent_id = ?', [agentId]);
      return rows.length === CHECKS && rows.every((r) => r.state === 'unknown');
    });
    await new Promise((r) => setTimeout(r, 3000)); // several more watchdog sweeps: still one root

    const changes = await query<{
      id: string;
      subject_type: string;
      to_state: string;
      root_cause_id: string | null;
      check_id: string | null;
      recorded_at: string;
    }>(
      storage!,
      'select id, subject_type, to_state, root_cause_id, check_id, recorded_at from state_changes where site_id = ?',
      [siteId],
    );
    const recent = changes.filter((c) => iso(c.recorded_at) >= before);
    const roots = recent.filter((c) => c.root_cause_id === null);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ subject_type: 'site', to_state: 'unreachable' });
    const followers = recent.filter((c) => c.root_cause_id !== null);
    expect(followers.map((c) => c.check_id).sort()).toEqual([...checkIds].sort());
    expect(followers.every((c) => c.to_state === 'unknown' && c.root_cause_id === roots[0]!.id)).toBe(true);
  });
});
