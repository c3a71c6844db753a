import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { enrol, startAgent, type RunningAgent } from '@afterhours/agent';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentConnectionsOf } from '../../http/agent-socket.js';
import { setupOwner, signIn, OWNER, type TestAgent } from '../../test/agent.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { listen } from '../../test/heartbeats.js';
import { createPeerHubs } from '../../test/peer-hubs.js';

/** A real site agent (apps/agent) run in this process, its log lines kept to read what it did. */
async function realAgent(hubUrl: string, enrolCode: string) {
  const lines: { msg: string; [key: string]: unknown }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'afterhours-run-now-'));
  const identity = await enrol(hubUrl, enrolCode);
  const agent: RunningAgent = await startAgent({
    identity,
    dataDir,
    log: pino({ level: 'debug' }, sink),
    concurrency: 4,
    buffer: { maxBytes: 1024 * 1024, maxAgeMs: 86_400_000 },
  });
  let stopped = false;
  return {
    id: identity.agentId,
    lines,
    /** Resolves once the agent has been given `count` checks. */
    assigned: (count: number) =>
      expect
        .poll(() => lines.some((l) => l.msg === 'checks assigned' && l.checks === count), { timeout: 10_000 })
        .toBe(true),
    async stop() {
      if (stopped) return;
      stopped = true;
      await agent.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A TCP port that accepts and counts connections: what the agent's check talks to. */
async function countingPort() {
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    socket.end();
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  return { port, accepted: () => accepted, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A site with an enrolled agent's code and one agent check (daily, so only "run now" runs it in a test). */
async function agentCheckScene(hub: TestHub, owner: TestAgent, port: number) {
  const scene = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
  const created = await owner.post('/api/agents', { siteId: scene.site.id, name: 'office-pi' });
  expect(created.status).toBe(201);
  const check = await owner.post('/api/checks', {
    systemId: scene.system.id,
    name: 'RDP',
    kind: 'tcp',
    probe: 'agent',
    intervalS: 86_400,
    params: { host: '127.0.0.1', port },
  });
  expect(check.status).toBe(201);
  return {
    enrolCode: created.body.enrolCode as string,
    agentId: created.body.agent.id as string,
    checkId: check.body.id as string,
  };
}

forEachDatabase('run now for an agent check, one hub process', (dialect) => {
  let hub: TestHub;
  let peer: Awaited<ReturnType<typeof countingPort>>;
  let agent: Awaited<ReturnType<typeof realAgent>> | undefined;

  beforeEach(async () => {
    hub = await createTestHub(dialect);
    peer = await countingPort();
  });
  afterEach(async () => {
    await agent?.stop();
    await hub.close();
    await peer.close();
  });

  it('asks the connected agent, answers with the result it sent, and says when the agent is offline', async () => {
    const owner = await setupOwner(hub);
    const url = await listen(hub);
    const scene = await agentCheckScene(hub, owner, peer.port);
    agent = await realAgent(url, scene.enrolCode);
    await agent.assigned(1);
    expect(peer.accepted()).toBe(0);

    const ran = await owner.post(`/api/checks/${scene.checkId}/run`);
    expect(ran.status).toBe(200);
    expect(ran.body.result).toMatchObject({ status: 'up', message: `port ${peer.port} open on 127.0.0.1` });
    expect(ran.body.check).toMatchObject({ state: 'up', lastResult: { status: 'up' } });
    expect(peer.accepted()).toBe(1);

    await agent.stop();
    await expect.poll(() => agentConnectionsOf(hub.ctx).isConnected(scene.agentId)).toBe(false);
    const offline = await owner.post(`/api/checks/${scene.checkId}/run`);
    expect(offline.status).toBe(409);
    expect(offline.body.error.code).toBe('agent_offline');
    expect(peer.accepted()).toBe(1);
  });
});

describe('run now for an agent check, two hub processes on PostgreSQL', () => {
  let peers: Awaited<ReturnType<typeof createPeerHubs>>;
  let peer: Awaited<ReturnType<typeof countingPort>>;
  let agent: Awaited<ReturnType<typeof realAgent>> | undefined;

  beforeEach(async () => {
    peers = await createPeerHubs(2);
    peer = await countingPort();
  });
  afterEach(async () => {
    await agent?.stop();
    await peers.close();
    await peer.close();
  });

  it('reaches the agent through the process that holds its link, and times out clearly when none does', async () => {
    const [holder, other] = peers.hubs as [TestHub, TestHub];
    const ownerOnHolder = await setupOwner(holder);
    const ownerOnOther = await signIn(other, OWNER.email, OWNER.password);
    const scene = await agentCheckScene(holder, ownerOnHolder, peer.port);
    agent = await realAgent(await listen(holder), scene.enrolCode);
    await agent.assigned(1);
    expect(agentConnectionsOf(holder.ctx).isConnected(scene.agentId)).toBe(true);
    expect(agentConnectionsOf(other.ctx).isConnected(scene.agentId)).toBe(false);

    // Asked of the process that does not hold the link: the holder sends the run, the result comes back.
    const ran = await ownerOnOther.post(`/api/checks/${scene.checkId}/run`);
    expect(ran.status).toBe(200);
    expect(ran.body.result).toMatchObject({ status: 'up', message: `port ${peer.port} open on 127.0.0.1` });
    expect(ran.body.check).toMatchObject({ state: 'up', lastResult: { status: 'up' } });
    expect(peer.accepted()).toBe(1);
    expect(agent.lines.filter((l) => l.msg === 'check ran')).toHaveLength(1);

    // And of the holder itself.
    const again = await ownerOnHolder.post(`/api/checks/${scene.checkId}/run`);
    expect(again.status).toBe(200);
    expect(again.body.result.at > ran.body.result.at).toBe(true);
    expect(peer.accepted()).toBe(2);

    // No process holds the agent: the other process waits for an answer, then says the agent is offline.
    await agent.stop();
    await expect.poll(() => agentConnectionsOf(holder.ctx).isConnected(scene.agentId)).toBe(false);
    const started = Date.now();
    const offline = await ownerOnOther.post(`/api/checks/${scene.checkId}/run`);
    expect(offline.status).toBe(409);
    expect(offline.body.error).toMatchObject({
      code: 'agent_offline',
      message: expect.stringContaining('not connected'),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(peer.accepted()).toBe(2);
  });
});
