import dgram from 'node:dgram';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import type { AgentMessage, PowerConfigMessage, PowerLogEntry } from '@afterhours/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../packages/checks/src/testing/peers.js';
import { startRedfish, type TestRedfish } from '../../../../packages/power/src/testing/redfish.js';
import { startSshd, type TestSshd } from '../../../../packages/power/src/testing/sshd.js';
import { startTestSystem, type TestSystem } from '../../../../packages/power/src/testing/system.js';
import { startUpsd, type Upsd } from '../../../../packages/power/src/testing/upsd.js';
import { silentLogger } from '../log.js';
import { PowerController } from './controller.js';
import { PowerStore } from './store.js';

// A site with a real upsd (dummy-ups), an application server behind a real sshd (its shutdown command
// stops its check port; Wake-on-LAN starts it again) and a database server behind a Redfish BMC. The hub
// is unreachable throughout: the agent runs the plan from its own disk.
let upsd: Upsd;
let sshd: TestSshd;
let bmc: TestRedfish;
let app: TestSystem;
let db: TestSystem;
let wol: dgram.Socket;
let wolPort: number;
let temp: { dir: string; remove: () => Promise<void> };
const wakes: { at: number; bytes: Buffer }[] = [];

beforeAll(async () => {
  temp = await tempDir('power-agent');
  app = await startTestSystem(temp.dir, 'app');
  db = await startTestSystem(temp.dir, 'db');
  [upsd, sshd, bmc] = await Promise.all([startUpsd(), startSshd({ checkPidFile: app.pidFile }), startRedfish()]);
  bmc.onReset = (type) => (type === 'On' ? void db.start() : db.kill());
  wol = dgram.createSocket('udp4');
  wol.on('message', (bytes) => {
    wakes.push({ at: Date.now(), bytes });
    void app.start();
  });
  await new Promise<void>((resolve) => wol.bind(0, '127.0.0.1', resolve));
  wolPort = wol.address().port;
});

afterAll(async () => {
  wol?.close();
  app?.kill();
  db?.kill();
  await Promise.all([upsd?.stop(), sshd?.stop(), bmc?.close()]);
  await temp?.remove();
});

function config(plan: Record<string, unknown>): PowerConfigMessage {
  return {
    type: 'power-config',
    pollMs: 300,
    ups: [
      { id: 'ups1', name: 'Office UPS', kind: 'nut', settings: { host: '127.0.0.1', port: upsd.port, ups: upsd.ups } },
    ],
    plan,
    systems: [
      {
        id: 'app',
        name: 'App server',
        shutdown: {
          kind: 'ssh',
          settings: { host: '127.0.0.1', port: sshd.port, username: 'root', privateKey: sshd.privateKey },
        },
        startup: { kind: 'wol', settings: { mac: '00:11:22:33:44:55', broadcast: '127.0.0.1', port: wolPort } },
        checks: [{ kind: 'tcp', params: { host: '127.0.0.1', port: app.port } }],
      },
      {
        id: 'db',
        name: 'Database',
        shutdown: { kind: 'redfish', settings: { url: bmc.url, username: 'admin', password: 'bmc-secret' } },
        startup: { kind: 'redfish', settings: { url: bmc.url, username: 'admin', password: 'bmc-secret' } },
        checks: [{ kind: 'tcp', params: { host: '127.0.0.1', port: db.port } }],
      },
    ],
    windows: [],
  };
}

async function until<T>(what: string, probe: () => T | Promise<T>, ms = 40_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('agent power controller with the hub unreachable', () => {
  it('on battery for N seconds: shuts down stage by stage; power back and stable: starts up in reverse, waiting for checks', async () => {
    const sent: AgentMessage[] = [];
    const store = await PowerStore.open(temp.dir, silentLogger());
    const controller = new PowerController({
      store,
      log: silentLogger(),
      send: (m) => (sent.push(m), false),
      tickMs: 200,
      verifyEveryMs: 300,
      commandTimeoutMs: 10_000,
    });
    controller.start();
    controller.configure(
      config({
        stages: [
          { name: 'applications', systemIds: ['app'], timeoutSeconds: 30 },
          { name: 'database', systemIds: ['db'], timeoutSeconds: 30 },
        ],
        triggers: { onBatteryMinutes: 2 / 60, onLowBattery: true, startupWhenStable: true },
        stableMinutes: 2 / 60,
      }),
    );
    try {
      await until('the first reading', () => sent.some((m) => m.type === 'power'));
      upsd.setStatus({ status: 'OB DISCHRG', charge: 90, runtime: 900 });
      const onBatteryAt = Date.now();
      await until('the shutdown to finish', () => controller.currentRun?.state.phase === 'waiting-for-power');
      const shutCommand = sshd.recorded()[0];
      expect(shutCommand?.command).toBe('sudo shutdown -h now');
      expect(shutCommand!.at - onBatteryAt).toBeGreaterThanOrEqual(1500); // not before the trigger's 2 s
      expect(bmc.resets.map((r) => r.type)).toEqual(['GracefulShutdown']);
      expect(bmc.resets[0]!.at).toBeGreaterThan(shutCommand!.at); // the database only after the app was down
      expect(await app.up()).toBe(false);
      expect(await db.up()).toBe(false);

      upsd.setStatus({ status: 'OL CHRG', charge: 60, runtime: 600 });
      await until('the startup to finish', () => controller.currentRun?.state.phase === 'finished');
      expect(bmc.resets.map((r) => r.type)).toEqual(['GracefulShutdown', 'On']);
      expect(wakes).toHaveLength(1);
      expect(wakes[0]!.at).toBeGreaterThan(bmc.resets[1]!.at); // reverse order: database first
      expect(await app.up()).toBe(true);
      expect(await db.up()).toBe(true);

      // The execution log is on disk, encrypted (0600), waiting for the hub; nothing was acknowledged.
      await store.flush();
      expect(statSync(`${temp.dir}/power.json`).mode & 0o777).toBe(0o600);
      const reopened = await PowerStore.open(temp.dir, silentLogger());
      const lines = reopened.data.log.flatMap((b) => b.entries);
      const kinds = lines.map((e) => `${e.kind}${e.systemId ? ` ${e.systemId}` : ''}`);
      expect(kinds).toEqual(
        expect.arrayContaining([
          'started',
          'maintenance-on app',
          'maintenance-on db',
          'maintenance-off db',
          'maintenance-off app',
        ]),
      );
      expect(lines.find((e) => e.kind === 'started')?.trigger).toMatch(/^trigger: on battery for/);
      // The app server's SSH host key was pinned on first use: kept on disk for the next run, told to the hub.
      expect(reopened.data.pins).toEqual({ [`127.0.0.1:${sshd.port}`]: sshd.hostKey });
      expect(lines.find((e) => e.hostKey)).toMatchObject({ systemId: 'app', hostKey: sshd.hostKey });
      const raw = readFileSync(`${temp.dir}/power.json`, 'utf8');
      expect(raw).not.toContain('bmc-secret');
      expect(raw).not.toContain('PRIVATE KEY');
    } finally {
      await controller.stop();
    }
  });

  async function controllerIn(name: string, plan: Record<string, unknown>) {
    const dir = `${temp.dir}/${name}`;
    mkdirSync(dir);
    const log: string[] = [];
    const lines: PowerLogEntry[] = [];
    const store = await PowerStore.open(dir, silentLogger());
    const controller = new PowerController({
      store,
      log: silentLogger(),
      send: (m) => {
        if (m.type === 'power-log') {
          log.push(...m.entries.map((e) => e.message));
          lines.push(...m.entries);
        }
        return false;
      },
      tickMs: 200,
      verifyEveryMs: 300,
    });
    controller.start();
    const base = config(plan);
    const manual = { kind: 'manual', settings: { instructions: 'switch the printer off' } };
    controller.configure({
      ...base,
      systems: [...base.systems, { id: 'printer', name: 'Printer', shutdown: manual, startup: manual, checks: [] }],
    });
    return { controller, log, lines, store };
  }

  it.each(['reverse', 'complete'] as const)(
    'power returning mid-shutdown with policy "%s" never leaves a system off',
    async (policy) => {
      upsd.setStatus({ status: 'OL', charge: 100, runtime: 1200 });
      const resetsBefore = bmc.resets.length;
      const { controller, log } = await controllerIn(policy, {
        stages: [
          { name: 'printer', systemIds: ['printer'], timeoutSeconds: 60 },
          { name: 'database', systemIds: ['db'], timeoutSeconds: 30 },
        ],
        triggers: { onBatteryMinutes: 1 / 60 },
        powerReturnPolicy: policy,
        stableMinutes: 1 / 60,
      });
      try {
        await new Promise((r) => setTimeout(r, 800));
        upsd.setStatus({ status: 'OB', charge: 90, runtime: 900 });
        await until('the printer stage', () => controller.currentRun?.state.steps.printer?.status === 'commanded');
        upsd.setStatus({ status: 'OL', charge: 90, runtime: 900 });
        await until('power back noticed', () => log.some((l) => l.startsWith('power returned during the shutdown')));
        controller.command('confirm', 'Dana', 'printer');
        await until(
          'the startup of the printer',
          () =>
            controller.currentRun?.state.direction === 'startup' &&
            controller.currentRun.state.steps.printer?.status === 'commanded',
        );
        controller.command('confirm', 'Dana', 'printer');
        await until('the run to finish', () => controller.currentRun?.state.phase === 'finished');
        const resets = bmc.resets.slice(resetsBefore).map((r) => r.type);
        expect(resets).toEqual(policy === 'reverse' ? [] : ['GracefulShutdown', 'On']);
        expect(await db.up()).toBe(true);
        // Log lines go out once they are on disk.
        await until('the run to say what it did', () =>
          log.some(
            (l) => l === (policy === 'reverse' ? 'remaining stages not run: power is back' : 'startup finished'),
          ),
        );
      } finally {
        await controller.stop();
      }
    },
  );

  it('reads the SSH servers’ host keys at a quiet moment: pins a new one, reports a changed one, sends nothing', async () => {
    const before = sshd.recorded().length;
    const { controller, store, lines } = await controllerIn('host-keys', {
      stages: [{ name: 'applications', systemIds: ['app'], timeoutSeconds: 30 }],
      triggers: { onBatteryMinutes: null, onLowBattery: false },
    });
    try {
      await until('the key pinned', () => lines.find((e) => e.hostKey));
      expect(lines.find((e) => e.hostKey)).toMatchObject({
        systemId: 'app',
        hostKey: sshd.hostKey,
        runId: 'host-keys',
      });
      expect(store.data.pins).toEqual({ [`127.0.0.1:${sshd.port}`]: sshd.hostKey });
      // The hub says another key is pinned (the server was reinstalled since): reported, not trusted.
      const wrong = `SHA256:${'W'.repeat(43)}`;
      const base = store.data.config!;
      controller.configure({
        ...base,
        systems: base.systems.map((s) =>
          s.id === 'app' && s.shutdown
            ? { ...s, shutdown: { ...s.shutdown, settings: { ...s.shutdown.settings, hostKey: wrong } } }
            : s,
        ),
      });
      const changed = await until('the changed key reported', () => lines.find((e) => e.refusedHostKey));
      expect(changed).toMatchObject({ systemId: 'app', refusedHostKey: sshd.hostKey, level: 'warning' });
      expect(changed.message).toContain(`pinned is ${wrong}`);
      expect(store.data.pins[`127.0.0.1:${sshd.port}`]).toBe(wrong);
      expect(sshd.recorded().length).toBe(before);
    } finally {
      await controller.stop();
    }
  });

  it('power flapping OL/OB faster than the trigger never starts the shutdown', async () => {
    upsd.setStatus({ status: 'OL', charge: 100, runtime: 1200 });
    const before = sshd.recorded().length;
    const { controller } = await controllerIn('flap', {
      stages: [{ name: 'applications', systemIds: ['app'], timeoutSeconds: 30 }],
      triggers: { onBatteryMinutes: 4 / 60 },
    });
    try {
      for (let i = 0; i < 8; i++) {
        upsd.setStatus({ status: i % 2 === 0 ? 'OB' : 'OL', charge: 90, runtime: 900 });
        await new Promise((r) => setTimeout(r, 1500));
      }
      expect(controller.currentRun?.trigger ?? null).toBeNull();
      expect(sshd.recorded().length).toBe(before);
    } finally {
      await controller.stop();
    }
  });
});
