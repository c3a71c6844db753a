import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrol, startAgent, type RunningAgent } from '@afterhours/agent';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { startSshd, type TestSshd } from '../../../../../packages/power/src/testing/sshd.js';
import { startTestSystem, type TestSystem } from '../../../../../packages/power/src/testing/system.js';
import { startUpsd, type Upsd } from '../../../../../packages/power/src/testing/upsd.js';
import { OWNER, setupOwner, userWithRole, type TestAgent } from '../../test/agent.js';
import { currentTotp } from '../auth/totp.js';
import { insertClientWithSystem, insertDependency, insertSystem } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { listen } from '../../test/heartbeats.js';

// Real peers for the whole file: upsd with dummy-ups, and an sshd standing in for the office's server.
let upsd: Upsd;
let sshd: TestSshd;
let server: TestSystem;
let temp: string;
beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'afterhours-power-hub-'));
  server = await startTestSystem(temp, 'erp');
  [upsd, sshd] = await Promise.all([startUpsd(), startSshd({ checkPidFile: server.pidFile })]);
});
afterAll(async () => {
  server?.kill();
  await Promise.all([upsd?.stop(), sshd?.stop()]);
  rmSync(temp, { recursive: true, force: true });
});

forEachDatabase('power on the hub', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  let agent: RunningAgent | undefined;
  let agentDir: string | undefined;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(async () => {
    await agent?.stop();
    agent = undefined;
    if (agentDir) rmSync(agentDir, { recursive: true, force: true, maxRetries: 5 });
    await hub.close();
  });

  async function scene() {
    const db = hub.ctx.db.kysely;
    const s = await insertClientWithSystem(db, 'Harbour Dental');
    const nas = await insertSystem(db, s.site, { name: 'NAS' });
    await insertDependency(db, s.system, nas);
    return { ...s, nas };
  }

  it('stores plans and power actions with secrets encrypted, never shown back; dry-run; validated input', async () => {
    const { site, system, nas } = await scene();
    const power = () => owner.get(`/api/sites/${site.id}/power`);
    const suggested = (await power()).body.suggestedPlan;
    expect(suggested.stages.map((s: { systemIds: string[] }) => s.systemIds)).toEqual([[system.id], [nas.id]]);

    const sshAction = { kind: 'ssh', settings: { host: '10.0.0.5', username: 'admin', password: 'ssh-secret-1' } };
    expect((await owner.put(`/api/systems/${system.id}/power`, { shutdown: sshAction, startup: null })).status).toBe(
      200,
    );
    const ipmi = { kind: 'ipmi', settings: { host: '10.0.0.9', username: 'ADMIN', password: 'bmc-secret-2' } };
    expect((await owner.put(`/api/systems/${nas.id}/power`, { shutdown: ipmi, startup: ipmi })).status).toBe(200);
    const bad = await owner.put(`/api/systems/${nas.id}/power`, {
      shutdown: { kind: 'wol', settings: { mac: 'nope' } },
      startup: null,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty('shutdown.settings.mac');
    const ups = await owner.post(`/api/sites/${site.id}/power/ups`, {
      name: 'Office UPS',
      kind: 'nut',
      settings: { host: '10.0.0.2', ups: 'office', username: 'mon', password: 'ups-secret-3' },
    });
    expect(ups.status).toBe(201);

    const badPlan = await owner.put(`/api/sites/${site.id}/power/plan`, { plan: { stages: [] } });
    expect(badPlan.status).toBe(400);
    expect(badPlan.body.error.fields).toHaveProperty('plan.stages');
    expect((await owner.put(`/api/sites/${site.id}/power/plan`, { plan: suggested })).status).toBe(200);

    const shown = await power();
    const text = JSON.stringify(shown.body);
    for (const secret of ['ssh-secret-1', 'bmc-secret-2', 'ups-secret-3']) expect(text).not.toContain(secret);
    expect(shown.body.systems.find((s: { systemId: string }) => s.systemId === system.id).shutdown).toEqual({
      kind: 'ssh',
      settings: { host: '10.0.0.5', port: 22, username: 'admin', command: 'sudo shutdown -h now' },
      secretsSet: ['password'],
    });
    expect(shown.body.ups[0].settings.password).toBe('***');
    const rows = await hub.ctx.db.kysely.selectFrom('power_actions').select('secrets_enc').execute();
    for (const r of rows) expect(r.secrets_enc).not.toContain('secret');
    const audit = await hub.ctx.db.kysely.selectFrom('audit_events').select(['action', 'summary']).execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['power.actions.save', 'power.ups.add', 'power.plan.save']),
    );
    expect(JSON.stringify(audit)).not.toContain('secret-');

    // Keeping a stored password with "***".
    expect(
      (
        await owner.put(`/api/systems/${system.id}/power`, {
          shutdown: { ...sshAction, settings: { ...sshAction.settings, password: '***' } },
          startup: null,
        })
      ).status,
    ).toBe(200);
    expect(
      (await power()).body.systems.find((s: { systemId: string }) => s.systemId === system.id).shutdown.secretsSet,
    ).toEqual(['password']);

    const dry = await owner.get(`/api/sites/${site.id}/power/dry-run`);
    expect(dry.status).toBe(200);
    expect(dry.body.shutdown.map((s: { systems: { command: string }[] }) => s.systems[0]?.command)).toEqual([
      'ssh admin@10.0.0.5:22: sudo shutdown -h now',
      'ipmi ADMIN@10.0.0.9:623: chassis power soft',
    ]);
    expect(dry.body.summary).toBe('needs at most 6 min; the UPS reports no runtime');
  });

  it('"shut down this site now" needs technician or above, the site name typed and a fresh password', async () => {
    const { site, system } = await scene();
    await owner.put(`/api/sites/${site.id}/power/plan`, {
      plan: { stages: [{ name: 'all', systemIds: [system.id] }] },
    });
    const url = `/api/sites/${site.id}/power/shutdown`;
    const client = await userWithRole(owner, 'client', site.client_id);
    expect((await client.post(url, { siteName: site.name, password: 'x' })).status).toBe(403);
    const wrongName = await owner.post(url, { siteName: 'Somewhere else', password: OWNER.password });
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.error.fields).toEqual({ siteName: `must be the site's name, "${site.name}"` });
    const wrongPassword = await owner.post(url, { siteName: site.name, password: 'not it' });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.error.fields).toHaveProperty('password');
    const ok = await owner.post(url, { siteName: site.name, password: OWNER.password });
    expect(ok.status).toBe(202);
    expect(ok.body).toEqual({ ordered: true, agentConnected: false });
    const orders = await hub.ctx.db.kysely.selectFrom('power_orders').selectAll().execute();
    expect(orders).toMatchObject([{ command: 'shutdown', sent_at: null }]);
    const audit = await hub.ctx.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'power.shutdown')
      .execute();
    expect(audit).toHaveLength(1);
  });

  /** A site with a UPS on the real upsd, the ERP server behind the real sshd, a plan, and a real agent. */
  async function realSite(options: { hostKey?: string } = {}) {
    const { site, system } = await scene();
    const created = await owner.post('/api/agents', { siteId: site.id, name: 'office-pi' });
    expect(created.status).toBe(201);
    const check = await owner.post('/api/checks', {
      systemId: system.id,
      name: 'ERP port',
      kind: 'tcp',
      probe: 'agent',
      intervalS: 60,
      params: { host: '127.0.0.1', port: server.port },
    });
    expect(check.status).toBe(201);
    const ups = await owner.post(`/api/sites/${site.id}/power/ups`, {
      name: 'Office UPS',
      kind: 'nut',
      settings: { host: '127.0.0.1', port: upsd.port, ups: upsd.ups },
      pollSeconds: 1,
      stableMinutes: 1,
    });
    expect(ups.status).toBe(201);
    await owner.put(`/api/systems/${system.id}/power`, {
      shutdown: {
        kind: 'ssh',
        settings: { host: '127.0.0.1', port: sshd.port, username: 'root', privateKey: sshd.privateKey },
      },
      startup: null,
    });
    if (options.hostKey)
      expect(
        (
          await owner.post(`/api/systems/${system.id}/power/host-key`, {
            hostKey: options.hostKey,
            systemName: system.name,
          })
        ).status,
      ).toBe(200);
    await owner.put(`/api/sites/${site.id}/power/plan`, {
      plan: {
        stages: [{ name: 'servers', systemIds: [system.id], timeoutSeconds: 30 }],
        triggers: { onBatteryMinutes: 2 / 60 },
      },
    });
    const url = await listen(hub);
    agentDir = mkdtempSync(join(tmpdir(), 'afterhours-power-agent-'));
    agent = await startAgent({
      identity: await enrol(url, created.body.enrolCode),
      dataDir: agentDir,
      log: pino({ level: 'silent' }),
      concurrency: 4,
      buffer: { maxBytes: 1024 * 1024, maxAgeMs: 86_400_000 },
    });
    const db = hub.ctx.db.kysely;
    const stateOf = () => db.selectFrom('power_state').selectAll().where('site_id', '=', site.id).executeTakeFirst();
    const systemPower = async () =>
      (await owner.get(`/api/sites/${site.id}/power`)).body.systems.find(
        (s: { systemId: string }) => s.systemId === system.id,
      );
    await expect.poll(async () => (await stateOf())?.state, { timeout: 15_000 }).toBe('online');
    return { site, system, db, stateOf, systemPower };
  }

  it('"shut down this site now" confirmed with a current authenticator code instead of the password', async () => {
    const { site, system } = await scene();
    await owner.put(`/api/sites/${site.id}/power/plan`, {
      plan: { stages: [{ name: 'all', systemIds: [system.id] }] },
    });
    const setup = (await owner.post('/api/me/totp/setup')).body;
    expect((await owner.post('/api/me/totp/enable', { code: currentTotp(setup.secret, hub.clock.now()) })).status).toBe(
      200,
    );
    const url = `/api/sites/${site.id}/power/shutdown`;
    const wrong = await owner.post(url, {
      siteName: site.name,
      code: '000000' === currentTotp(setup.secret, hub.clock.now()) ? '111111' : '000000',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toEqual({ code: 'is not the current code from your authenticator' });
    const ok = await owner.post(url, { siteName: site.name, code: currentTotp(setup.secret, hub.clock.now()) });
    expect(ok.status).toBe(202);
    expect(await hub.ctx.db.kysely.selectFrom('power_orders').select('command').execute()).toEqual([
      { command: 'shutdown' },
    ]);
  });

  it('with a real agent, upsd and sshd: on battery → state change and event; the plan shuts the server down; it is in maintenance; the host key is pinned', async () => {
    const { site, system, db, stateOf, systemPower } = await realSite();

    upsd.setStatus({ status: 'OB DISCHRG', charge: 95, runtime: 1100 });
    await expect.poll(async () => (await stateOf())?.state, { timeout: 15_000 }).toBe('on-battery');
    const changes = await db.selectFrom('state_changes').selectAll().where('subject_type', '=', 'power').execute();
    expect(changes).toMatchObject([{ site_id: site.id, from_state: 'online', to_state: 'on-battery' }]);

    await expect
      .poll(async () => (await db.selectFrom('power_shutdowns').selectAll().execute()).length, { timeout: 20_000 })
      .toBe(1);
    await expect.poll(() => sshd.recorded().at(-1)?.command, { timeout: 10_000 }).toBe('sudo shutdown -h now');
    await expect.poll(() => server.up(), { timeout: 10_000 }).toBe(false);
    await expect
      .poll(
        async () => (await owner.get(`/api/sites/${site.id}/power`)).body.log.map((l: { kind: string }) => l.kind),
        {
          timeout: 15_000,
        },
      )
      .toEqual(expect.arrayContaining(['started', 'command']));
    const shown = await owner.get(`/api/sites/${site.id}/power`);
    expect(shown.body.now).toMatchObject({ state: 'on-battery', chargePercent: 95, runtimeSeconds: 1100 });
    expect(
      shown.body.systems.find((s: { systemId: string }) => s.systemId === system.id).shutDownByPlanAt,
    ).not.toBeNull();
    const windows = await db.selectFrom('maintenance_windows').selectAll().where('source', '=', 'plan').execute();
    expect(windows).toHaveLength(1);
    expect(JSON.parse(windows[0]!.system_ids_json)).toEqual([system.id]);

    // The key met on first use is kept by the hub, shown, and sent back to the agent with the action.
    await expect.poll(async () => (await systemPower()).hostKey, { timeout: 10_000 }).toBe(sshd.hostKey);
    expect((await systemPower()).hostKeyPinnedAt).not.toBeNull();

    // Power back: on line at once on the screen, but the alert state waits for the UPS's "stable for" minute.
    upsd.setStatus({ status: 'OL CHRG', charge: 95, runtime: 1100 });
    await expect.poll(async () => (await stateOf())?.state, { timeout: 15_000 }).toBe('online');
    expect((await stateOf())?.alert_state).toBe('on-battery');
    await server.start();
  });

  it('with a real agent: a server whose host key changed is not sent the shutdown, and the screen says so with the new key', async () => {
    const wrong = `SHA256:${'Q'.repeat(43)}`;
    const { site, systemPower } = await realSite({ hostKey: wrong });
    const before = sshd.recorded().length;
    upsd.setStatus({ status: 'OB DISCHRG', charge: 90, runtime: 900 });
    await expect.poll(async () => (await systemPower()).hostKeyRefused, { timeout: 25_000 }).toBe(sshd.hostKey);
    expect(await systemPower()).toMatchObject({ hostKey: wrong });
    expect(sshd.recorded().length).toBe(before);
    expect(await server.up()).toBe(true);
    const log = (await owner.get(`/api/sites/${site.id}/power`)).body.log as { message: string }[];
    expect(log.map((l) => l.message).join('\n')).toContain(`host key changed (the server shows ${sshd.hostKey}`);
    upsd.setStatus({ status: 'OL CHRG', charge: 90, runtime: 900 });
  });
});
