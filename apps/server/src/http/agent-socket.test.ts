import type { AddressInfo } from 'node:net';
import type { HubMessage } from '@afterhours/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encryptSecrets } from '../domain/monitoring/secret-params.js';
import { setupOwner, type TestAgent } from '../test/agent.js';
import { insertCheck } from '../test/checks.js';
import { insertClientWithSystem } from '../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { AgentWatchdog } from '../worker/agent-watchdog.js';

/** A scripted agent on a real WebSocket: collects what the hub sends and waits for messages by type. */
class FakeAgent {
  readonly received: HubMessage[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.received.push(JSON.parse(String(data)) as HubMessage);
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
  }

  static connect(url: string, token?: string): Promise<FakeAgent> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        handshakeTimeout: 5000,
      });
      socket.once('open', () => resolve(new FakeAgent(socket)));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  send(message: unknown) {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  hello() {
    this.send({ type: 'hello', protocol: 1, version: '9.9.9', hostname: 'office-pi', uptimeS: 42 });
  }

  /** The next message of this type not yet taken. */
  async next<T extends HubMessage['type']>(type: T, timeoutMs = 5000): Promise<Extract<HubMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex((m) => m.type === type);
      if (index >= 0) return this.received.splice(index, 1)[0] as Extract<HubMessage, { type: T }>;
      if (this.closed) throw new Error(`closed (${this.closed.code}) before a ${type} message`);
      if (Date.now() > deadline) throw new Error(`no ${type} message; got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  async whenClosed(timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  close() {
    this.socket.close();
  }
}

forEachDatabase('site agent WebSocket', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  let url: string;
  let scene: Awaited<ReturnType<typeof insertClientWithSystem>>;
  const sockets: FakeAgent[] = [];
  const db = () => hub.ctx.db.kysely;

  beforeEach(async () => {
    hub = await createTestHub(dialect, { agentTimeoutMs: 3000 });
    await hub.app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(hub.app.server.address() as AddressInfo).port}/api/agent/connect`;
    owner = await setupOwner(hub);
    scene = await insertClientWithSystem(db(), 'Harbour Dental');
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await hub.close();
  });

  async function enrolled(name = 'office-pi') {
    const created = await owner.post('/api/agents', { siteId: scene.site.id, name });
    const enrol = await owner.post('/api/agent/enrol', { code: created.body.enrolCode, hostname: 'h', version: '1' });
    return { id: created.body.agent.id as string, token: enrol.body.token as string };
  }

  async function connect(token: string) {
    const agent = await FakeAgent.connect(url, token);
    sockets.push(agent);
    return agent;
  }

  async function greeted(token: string) {
    const agent = await connect(token);
    agent.hello();
    const welcome = await agent.next('welcome');
    const assign = await agent.next('assign');
    return { agent, welcome, assign };
  }

  const result = (checkId: string, second: number, status: 'up' | 'down' = 'up') => ({
    checkId,
    at: new Date(Date.UTC(2026, 10, 20, 16, 0, second)).toISOString(),
    status,
    latencyMs: status === 'up' ? 2 : null,
    message: status === 'up' ? 'connected' : 'connection refused',
  });
  const resultCount = async (checkId: string) =>
    Number(
      (
        await db()
          .selectFrom('check_results')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('check_id', '=', checkId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe('refusals', () => {
    it('refuses the upgrade without a token or with a wrong one (401), and tells plain HTTP to upgrade (426)', async () => {
      await expect(FakeAgent.connect(url)).rejects.toThrow('refused: 401');
      await expect(FakeAgent.connect(url, 'aha_not-a-real-token')).rejects.toThrow('refused: 401');
      await expect(FakeAgent.connect(url, 'ah_user-token-shape')).rejects.toThrow('refused: 401');
      const plain = await hub.app.inject({ method: 'GET', url: '/api/agent/connect' });
      expect(plain.statusCode).toBe(426);
      expect(plain.json().error.code).toBe('upgrade_required');
    });

    it('answers an error to a message before hello and to one it cannot use, and keeps the link', async () => {
      const { token } = await enrolled();
      const agent = await connect(token);
      agent.send({ type: 'results', seq: 1, results: [] });
      expect((await agent.next('error')).message).toContain('hello');
      agent.send('not json at all');
      expect((await agent.next('error')).code).toBe('invalid_message');
      agent.hello();
      await agent.next('welcome');
      agent.send({ type: 'results', seq: 0, results: [] });
      expect((await agent.next('error')).message).toContain('seq');
      expect(agent.closed).toBeUndefined();
    });

    it('closes the link of an agent that is revoked, and refuses its token afterwards', async () => {
      const { id, token } = await enrolled();
      const { agent } = await greeted(token);
      expect((await owner.post(`/api/agents/${id}/revoke`)).status).toBe(200);
      expect((await agent.whenClosed())?.code).toBe(4001);
      await expect(FakeAgent.connect(url, token)).rejects.toThrow('refused: 401');
    });

    it('closes the link when the agent is rotated', async () => {
      const { id, token } = await enrolled();
      const { agent } = await greeted(token);
      expect((await owner.post(`/api/agents/${id}/rotate`)).status).toBe(200);
      expect((await agent.whenClosed())?.code).toBe(4001);
    });
  });

  describe('hello, welcome and assignments', () => {
    it('welcomes the agent, records what it reports, and assigns its own unpaused checks with their secrets', async () => {
      const { id, token } = await enrolled();
      const other = await enrolled('other-agent');
      const mine = await insertCheck(db(), scene.system, {
        probe: 'agent',
        agent_id: id,
        kind: 'imap',
        params_json: JSON.stringify({ host: '127.0.0.1', port: 143, login: { user: 'probe' } }),
        secrets_enc: encryptSecrets(hub.ctx.secrets, { 'login.password': 's3cret' }),
        interval_s: 30,
        timeout_ms: 4000,
      });
      await insertCheck(db(), scene.system, { probe: 'agent', agent_id: id, paused: 1 });
      await insertCheck(db(), scene.system, { probe: 'agent', agent_id: other.id });
      await insertCheck(db(), scene.system, { probe: 'hub' });

      const { welcome, assign } = await greeted(token);
      expect(welcome).toEqual({ type: 'welcome', agentId: id, siteId: scene.site.id, ackedSeq: 0 });
      expect(assign.checks).toEqual([
        {
          id: mine.id,
          kind: 'imap',
          params: { host: '127.0.0.1', port: 143, login: { user: 'probe', password: 's3cret' } },
          intervalS: 30,
          timeoutMs: 4000,
        },
      ]);
      const row = await db().selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        status: 'online',
        version: '9.9.9',
        hostname: 'office-pi',
        uptime_s: 42,
        last_seen_at: hub.clock.now().toISOString(),
      });
      expect((await owner.get(`/api/agents/${id}`)).body).toMatchObject({ status: 'online', checkCount: 2 });
    });

    it('resends the assignment when checks change, and passes "run now" on', async () => {
      const { id, token } = await enrolled();
      const { agent, assign } = await greeted(token);
      expect(assign.checks).toEqual([]);
      const check = await insertCheck(db(), scene.system, { probe: 'agent', agent_id: id });
      hub.ctx.agentLink!.assignmentsChanged(id);
      expect((await agent.next('assign')).checks.map((c) => c.id)).toEqual([check.id]);
      expect(await hub.ctx.agentLink!.runNow(id, check.id)).toBe(true);
      expect(await agent.next('run')).toEqual({ type: 'run', checkId: check.id });
      expect(await hub.ctx.agentLink!.runNow('00000000-0000-4000-8000-000000000000', check.id)).toBe(false);
    });

    it('records the status an agent reports', async () => {
      const { id, token } = await enrolled();
      const { agent } = await greeted(token);
      agent.send({ type: 'status', uptimeS: 99, backlog: 1234 });
      await expect.poll(async () => (await owner.get(`/api/agents/${id}`)).body.backlog).toBe(1234);
      expect((await owner.get(`/api/agents/${id}`)).body.uptimeS).toBe(99);
    });

    it('lets a newer link of the same agent replace the older one', async () => {
      const { token } = await enrolled();
      const first = await greeted(token);
      const second = await greeted(token);
      expect((await first.agent.whenClosed())?.code).toBe(4002);
      expect(second.agent.closed).toBeUndefined();
    });
  });

  describe('result batches', () => {
    it('stores a batch once: a resend is acknowledged again but not stored again', async () => {
      const { id, token } = await enrolled();
      const check = await insertCheck(db(), scene.system, { probe: 'agent', agent_id: id });
      const { agent } = await greeted(token);
      const batch1 = { type: 'results', seq: 1, results: [result(check.id, 1), result(check.id, 2, 'down')] };
      agent.send(batch1);
      expect(await agent.next('ack')).toEqual({ type: 'ack', seq: 1 });
      expect(await resultCount(check.id)).toBe(2);
      agent.send(batch1);
      expect(await agent.next('ack')).toEqual({ type: 'ack', seq: 1 });
      expect(await resultCount(check.id)).toBe(2);
      agent.send({ type: 'results', seq: 2, results: [result(check.id, 3)] });
      expect(await agent.next('ack')).toEqual({ type: 'ack', seq: 2 });
      expect(await resultCount(check.id)).toBe(3);
      const row = await db()
        .selectFrom('agents')
        .select('last_acked_seq')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.last_acked_seq).toBe(2);

      agent.close();
      const again = await greeted(token);
      expect(again.welcome.ackedSeq).toBe(2);
    });

    it('does not store results for checks that are not the agent’s', async () => {
      const { id, token } = await enrolled();
      const other = await enrolled('other');
      const theirs = await insertCheck(db(), scene.system, { probe: 'agent', agent_id: other.id });
      const hubCheck = await insertCheck(db(), scene.system, { probe: 'hub' });
      const { agent } = await greeted(token);
      agent.send({
        type: 'results',
        seq: 1,
        results: [result(theirs.id, 1), result(hubCheck.id, 1), result('00000000-0000-4000-8000-000000000000', 1)],
      });
      expect(await agent.next('ack')).toEqual({ type: 'ack', seq: 1 });
      expect(await resultCount(theirs.id)).toBe(0);
      expect(await resultCount(hubCheck.id)).toBe(0);
      expect(id).toBeTruthy();
    });
  });

  describe('unreachable and back', () => {
    it('makes a silent agent’s site unreachable once (one root change, its checks unknown under it), and reachable when it reconnects', async () => {
      const { id, token } = await enrolled();
      const checks = [
        await insertCheck(db(), scene.system, { probe: 'agent', agent_id: id }),
        await insertCheck(db(), scene.system, { probe: 'agent', agent_id: id }),
      ];
      const { agent } = await greeted(token);
      agent.send({ type: 'results', seq: 1, results: checks.map((c) => result(c.id, 1)) });
      await agent.next('ack');
      agent.close();
      await agent.whenClosed();

      const watchdogs = [
        new AgentWatchdog(hub.ctx, { timeoutMs: 3000, graceMs: 0 }),
        new AgentWatchdog(hub.ctx, { timeoutMs: 3000, graceMs: 0 }),
      ];
      expect(await watchdogs[0]!.sweep()).toBe(0); // not silent for long enough yet
      hub.clock.advance(3001);
      const marked = await Promise.all(watchdogs.map((w) => w.sweep()));
      expect(marked.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await watchdogs[0]!.sweep()).toBe(0);

      const changes = await db()
        .selectFrom('state_changes')
        .selectAll()
        .where('site_id', '=', scene.site.id)
        .orderBy('recorded_at')
        .execute();
      const roots = changes.filter((c) => c.root_cause_id === null && c.subject_type === 'site');
      expect(roots).toHaveLength(1);
      expect(roots[0]).toMatchObject({ to_state: 'unreachable', agent_id: id });
      const checkChanges = changes.filter((c) => c.subject_type === 'check' && c.to_state === 'unknown');
      expect(checkChanges.map((c) => c.root_cause_id)).toEqual([roots[0]!.id, roots[0]!.id]);
      const states = await db().selectFrom('checks').select('state').where('agent_id', '=', id).execute();
      expect(states.map((s) => s.state)).toEqual(['unknown', 'unknown']);
      expect((await owner.get(`/api/agents/${id}`)).body.status).toBe('unreachable');

      hub.clock.advance(60_000);
      await greeted(token);
      expect((await owner.get(`/api/agents/${id}`)).body.status).toBe('online');
      const back = await db()
        .selectFrom('state_changes')
        .selectAll()
        .where('site_id', '=', scene.site.id)
        .where('subject_type', '=', 'site')
        .orderBy('recorded_at')
        .execute();
      expect(back.map((c) => c.to_state)).toEqual(['unreachable', 'reachable']);
    });

    it('leaves pending and revoked agents alone', async () => {
      const created = await owner.post('/api/agents', { siteId: scene.site.id, name: 'never enrolled' });
      const { id, token } = await enrolled('revoked one');
      await greeted(token);
      await owner.post(`/api/agents/${id}/revoke`);
      hub.clock.advance(10_000);
      expect(await new AgentWatchdog(hub.ctx, { timeoutMs: 3000, graceMs: 0 }).sweep()).toBe(0);
      const statuses = await db().selectFrom('agents').select(['id', 'status']).execute();
      expect(statuses.find((s) => s.id === created.body.agent.id)?.status).toBe('pending');
      expect(statuses.find((s) => s.id === id)?.status).toBe('revoked');
    });

    it('gives agents a grace period to dial back in after the hub starts', async () => {
      const { token } = await enrolled();
      const { agent } = await greeted(token);
      agent.close();
      await agent.whenClosed();
      const justStarted = new AgentWatchdog(hub.ctx, { timeoutMs: 3000, graceMs: 60_000 });
      hub.clock.advance(10_000);
      expect(await justStarted.sweep()).toBe(0);
      hub.clock.advance(60_000);
      expect(await justStarted.sweep()).toBe(1);
    });
  });
});
