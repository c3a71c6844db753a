import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type TestSshd } from '../packages/power/src/testing/sshd.js';
import { startTestSystem, type TestSystem } from '../packages/power/src/testing/system.js';
import { startUpsd, type Upsd } from '../packages/power/src/testing/upsd.js';
import { eventually, startAgent, type RunningAgent } from './agent-process.js';
import { ApiSession, createStorage, setUpOwner, startHub, type HubStorage, type RunningHub } from './hub-process.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * Power scenarios with every part a real process: the hub (one or two), the site agent, upsd with
 * dummy-ups, an sshd standing in for the ERP server (its shutdown stops the ERP's check port), and a UDP
 * listener that starts the ERP again on the Wake-on-LAN packet.
 */
let upsd: Upsd;
let sshd: TestSshd;
let erp: TestSystem;
let wol: dgram.Socket;
let wolPort: number;
let temp: string;
const wakes: Buffer[] = [];

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'afterhours-e2e-power-scenarios-'));
  erp = await startTestSystem(temp, 'erp');
  [upsd, sshd] = await Promise.all([startUpsd(), startSshd({ checkPidFile: erp.pidFile })]);
  wol = dgram.createSocket('udp4');
  wol.on('message', (bytes) => {
    wakes.push(bytes);
    void erp.start();
  });
  await new Promise<void>((resolve) => wol.bind(0, '127.0.0.1', resolve));
  wolPort = wol.address().port;
});
afterAll(async () => {
  wol?.close();
  erp?.kill();
  await Promise.all([upsd?.stop(), sshd?.stop()]);
  rmSync(temp, { recursive: true, force: true });
});

interface Scene {
  siteId: string;
  erpId: string;
  nasId: string;
  enrolCode: string;
}

/** Through the API: a site with the UPS on upsd, the ERP server (SSH off, Wake-on-LAN on, its port checked) and a NAS. */
async function setUpSite(
  api: ApiSession,
  plan: (ids: { erp: string; nas: string }) => Record<string, unknown>,
  nasAction: unknown = null,
): Promise<Scene> {
  const client = await api.call('POST', '/api/clients', { name: 'Harbour Dental' });
  const site = await api.call('POST', '/api/sites', {
    clientId: client.body.id,
    name: 'High Street',
    timeZone: 'Europe/London',
  });
  const siteId = site.body.id as string;
  const erpSystem = await api.call('POST', '/api/systems', { siteId, name: 'ERP server', kind: 'server' });
  const nas = await api.call('POST', '/api/systems', { siteId, name: 'NAS', kind: 'server' });
  const agent = await api.call('POST', '/api/agents', { siteId, name: 'office-pi' });
  const erpId = erpSystem.body.id as string;
  const nasId = nas.body.id as string;
  const writes = [
    await api.call('POST', '/api/checks', {
      systemId: erpId,
      name: 'ERP port',
      kind: 'tcp',
      probe: 'agent',
      intervalS: 60,
      params: { host: '127.0.0.1', port: erp.port },
    }),
    await api.call('POST', `/api/sites/${siteId}/power/ups`, {
      name: 'Office UPS',
      kind: 'nut',
      settings: { host: '127.0.0.1', port: upsd.port, ups: upsd.ups },
      pollSeconds: 1,
      stableMinutes: 0.05,
    }),
    await api.call('PUT', `/api/systems/${erpId}/power`, {
      shutdown: {
        kind: 'ssh',
        settings: { host: '127.0.0.1', port: sshd.port, username: 'root', privateKey: sshd.privateKey },
      },
      startup: { kind: 'wol', settings: { mac: '00:11:22:33:44:55', broadcast: '127.0.0.1', port: wolPort } },
    }),
    await api.call('PUT', `/api/systems/${nasId}/power`, { shutdown: nasAction, startup: null }),
  ];
  for (const w of writes) expect(w.status, JSON.stringify(w.body)).toBeLessThan(300);
  const saved = await api.call('PUT', `/api/sites/${siteId}/power/plan`, { plan: plan({ erp: erpId, nas: nasId }) });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return { siteId, erpId, nasId, enrolCode: agent.body.enrolCode };
}

async function powerOf(api: ApiSession, siteId: string) {
  return (await api.call('GET', `/api/sites/${siteId}/power`)).body as {
    now: { state: string } | null;
    log: { kind: string; message: string; systemId: string | null }[];
    systems: { systemId: string; shutDownByPlanAt: string | null }[];
  };
}

describe('power with every part a real process [sqlite]', () => {
  let storage: HubStorage | undefined;
  let hub: RunningHub | undefined;
  let agent: RunningAgent | undefined;
  afterEach(async () => {
    await agent?.stop();
    await hub?.stop();
    await storage?.destroy();
    agent = hub = storage = undefined;
    upsd.setStatus({ status: 'OL', charge: 100, runtime: 1200 });
    await erp.start();
  });

  it('the hub is stopped for the whole outage: the agent shuts down and starts up alone, and reports after', async () => {
    storage = await createStorage('sqlite');
    hub = await startHub(storage);
    const api = await setUpOwner(hub, OWNER);
    const scene = await setUpSite(api, (ids) => ({
      stages: [{ name: 'Applications', systemIds: [ids.erp], timeoutSeconds: 30 }],
      triggers: { onBatteryMinutes: 0.05, startupWhenStable: true },
      stableMinutes: 0.05,
    }));
    const agentDir = mkdtempSync(join(temp, 'agent-alone-'));
    agent = startAgent(['--hub', hub.url, '--enrol', scene.enrolCode, '--data-dir', agentDir]);
    await eventually(
      'the agent to report the power',
      async () => (await powerOf(api, scene.siteId)).now?.state === 'online',
    );
    const port = hub.port;
    await hub.stop();
    const sentBefore = sshd.recorded().length;
    const wakesBefore = wakes.length;

    upsd.setStatus({ status: 'OB DISCHRG', charge: 88, runtime: 1100 });
    await eventually('the shutdown command', () => sshd.recorded().length > sentBefore);
    await eventually('the ERP to be down', async () => !(await erp.up()));
    upsd.setStatus({ status: 'OL CHRG', charge: 88, runtime: 1100 });
    await eventually('the Wake-on-LAN packet', () => wakes.length > wakesBefore);
    await eventually('the ERP to be up', () => erp.up());

    hub = await startHub(storage, port);
    const back = new ApiSession(hub.url);
    await back.call('POST', '/api/auth/sign-in', { email: OWNER.email, password: OWNER.password });
    const power = await eventually('the log to reach the hub', async () => {
      const p = await powerOf(back, scene.siteId);
      return p.log.some((l) => l.message === 'run is finished') && p;
    });
    const kinds = power.log.map((l) => l.kind);
    expect(kinds).toEqual(expect.arrayContaining(['started', 'command', 'maintenance-on', 'maintenance-off']));
    expect(power.systems.every((s) => s.shutDownByPlanAt === null)).toBe(true);
    expect(
      sshd
        .recorded()
        .slice(sentBefore)
        .map((r) => r.command),
    ).toEqual(['sudo shutdown -h now']);
  });

  it('the agent restarts in the middle of the plan: it resumes without sending a command twice', async () => {
    storage = await createStorage('sqlite');
    hub = await startHub(storage);
    const api = await setUpOwner(hub, OWNER);
    const scene = await setUpSite(
      api,
      (ids) => ({
        stages: [
          { name: 'By hand', systemIds: [ids.nas], timeoutSeconds: 600 },
          { name: 'Applications', systemIds: [ids.erp], timeoutSeconds: 30 },
        ],
        triggers: { onBatteryMinutes: 0.05 },
      }),
      {
        kind: 'manual',
        settings: { instructions: 'switch the NAS off at the wall' },
      },
    );
    const agentDir = mkdtempSync(join(temp, 'agent-restart-'));
    agent = startAgent(['--hub', hub.url, '--enrol', scene.enrolCode, '--data-dir', agentDir]);
    await eventually(
      'the agent to report the power',
      async () => (await powerOf(api, scene.siteId)).now?.state === 'online',
    );
    const sentBefore = sshd.recorded().length;

    upsd.setStatus({ status: 'OB DISCHRG', charge: 88, runtime: 1100 });
    await eventually('the manual step to be asked for', async () =>
      (await powerOf(api, scene.siteId)).log.some((l) => l.message.includes('switch the NAS off at the wall')),
    );
    await agent.stop('SIGKILL');
    agent = startAgent(['--data-dir', agentDir]);
    await eventually('the restarted agent to resume', async () =>
      (await powerOf(api, scene.siteId)).log.some((l) => l.message.includes('resuming it')),
    );
    // Still waiting for the person: nothing was sent to the ERP.
    expect(sshd.recorded().length).toBe(sentBefore);
    const confirmed = await api.call('POST', `/api/sites/${scene.siteId}/power/startup`, { systemId: scene.nasId });
    expect(confirmed.status).toBe(202);
    await eventually('the ERP shutdown', () => sshd.recorded().length > sentBefore);
    await eventually('the plan to finish its shutdown', async () =>
      (await powerOf(api, scene.siteId)).log.some((l) => l.message === 'run is down'),
    );
    const power = await powerOf(api, scene.siteId);
    expect(power.log.filter((l) => l.kind === 'started')).toHaveLength(1);
    // One command per system: the manual step was asked for once, the ERP shut down once.
    expect(power.log.filter((l) => l.kind === 'command' && l.systemId === scene.nasId)).toHaveLength(1);
    expect(power.log.filter((l) => l.kind === 'command' && l.systemId === scene.erpId)).toHaveLength(1);
    expect(
      sshd
        .recorded()
        .slice(sentBefore)
        .map((r) => r.command),
    ).toEqual(['sudo shutdown -h now']);
  });
});

describe('an order given on one hub process is carried out through another [postgres]', () => {
  let storage: HubStorage;
  let hubA: RunningHub;
  let hubB: RunningHub;
  let agent: RunningAgent;
  afterAll(async () => {
    await agent?.stop();
    await hubA?.stop();
    await hubB?.stop();
    await storage?.destroy();
  });

  it('"shut down this site now" on hub A reaches the agent connected to hub B', async () => {
    storage = await createStorage('postgres');
    hubA = await startHub(storage);
    hubB = await startHub(storage);
    const onB = await setUpOwner(hubB, OWNER);
    const scene = await setUpSite(onB, (ids) => ({
      stages: [{ name: 'Applications', systemIds: [ids.erp], timeoutSeconds: 30 }],
      triggers: { onBatteryMinutes: null, onLowBattery: false },
    }));
    const agentDir = mkdtempSync(join(temp, 'agent-two-hubs-'));
    agent = startAgent(['--hub', hubB.url, '--enrol', scene.enrolCode, '--data-dir', agentDir]);
    await eventually(
      'the agent to report the power',
      async () => (await powerOf(onB, scene.siteId)).now?.state === 'online',
    );
    const sentBefore = sshd.recorded().length;

    const onA = new ApiSession(hubA.url);
    expect((await onA.call('POST', '/api/auth/sign-in', { email: OWNER.email, password: OWNER.password })).status).toBe(
      200,
    );
    const ordered = await onA.call('POST', `/api/sites/${scene.siteId}/power/shutdown`, {
      siteName: 'High Street',
      password: OWNER.password,
    });
    expect(ordered.status).toBe(202);
    expect(ordered.body).toEqual({ ordered: true, agentConnected: true });
    await eventually('the shutdown command through hub B', () => sshd.recorded().length > sentBefore);
    expect(
      sshd
        .recorded()
        .slice(sentBefore)
        .map((r) => r.command),
    ).toEqual(['sudo shutdown -h now']);
    const log = await eventually('the log on hub A', async () => {
      const p = await powerOf(onA, scene.siteId);
      return p.log.some((l) => l.kind === 'command') && p.log;
    });
    expect(log.find((l) => l.kind === 'started')?.message).toBe('shutdown plan started');
  });
});
