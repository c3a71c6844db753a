/**
 * Network UPS Tools' upsd with the dummy-ups driver, in a temp dir on a loopback high port, for tests.
 * Not part of the build. setStatus rewrites the driver's file; the driver re-reads it when it changes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, utimesSync, mkdirSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { NutClient } from '../nut/client.js';
import {
  freePort,
  requireBinary,
  startPeer,
  tcpAnswers,
  tempDir,
  type Peer,
} from '../../../checks/src/testing/peers.js';

export interface DummyUps {
  status: string;
  charge?: number;
  runtime?: number;
  load?: number;
  extra?: Record<string, string>;
}

export interface Upsd {
  port: number;
  ups: string;
  user: { username: string; password: string };
  /** Rewrites the dummy file; the driver picks it up on its next poll (1 s). */
  setStatus(state: DummyUps): void;
  startDriver(): Promise<void>;
  /** SIGKILL: upsd then answers ERR DRIVER-NOT-CONNECTED. */
  killDriver(): Promise<void>;
  /** SIGSTOP / SIGCONT: upsd answers ERR DATA-STALE after MAXAGE (2 s here). */
  freezeDriver(): void;
  thawDriver(): void;
  stop(): Promise<void>;
}

/** upsd takes a moment to find the driver's socket; until then it answers DRIVER-NOT-CONNECTED, then WAIT. */
export async function untilDriverConnected(port: number, ups: string): Promise<void> {
  const client = await NutClient.connect({ host: '127.0.0.1', port, tls: 'off' });
  try {
    for (let i = 0; ; i++) {
      const answer = await client.getVar(ups, 'ups.status').catch((err: Error) => err);
      if (typeof answer === 'string' && answer !== 'WAIT') return;
      if (i > 100) throw answer;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.close();
  }
}

export async function startUpsd(
  initial: DummyUps = { status: 'OL', charge: 100, runtime: 1200, load: 20 },
): Promise<Upsd> {
  const upsdBinary = requireBinary('/lib/nut/upsd', 'nut-server');
  const driverBinary = requireBinary('/lib/nut/dummy-ups', 'nut-server');
  const temp = await tempDir('upsd');
  const port = await freePort();
  const ups = 'office';
  const user = { username: 'watcher', password: 'watch-secret' };
  const state = path.join(temp.dir, 'state');
  mkdirSync(state, { mode: 0o700 });
  const dev = path.join(temp.dir, 'office.dev');
  const write = (path_: string, lines: string[], mode = 0o600) => {
    writeFileSync(path_, `${lines.join('\n')}\n`);
    chmodSync(path_, mode);
  };
  write(path.join(temp.dir, 'nut.conf'), ['MODE=standalone']);
  write(path.join(temp.dir, 'ups.conf'), [
    `[${ups}]`,
    '  driver = dummy-ups',
    `  port = ${dev}`,
    '  pollinterval = 1',
    '  desc = "Office UPS"',
  ]);
  write(path.join(temp.dir, 'upsd.conf'), [`LISTEN 127.0.0.1 ${port}`, 'MAXAGE 2']);
  write(path.join(temp.dir, 'upsd.users'), [
    `[${user.username}]`,
    `  password = ${user.password}`,
    '  upsmon secondary',
  ]);
  let version = 0;
  const setStatus = (s: DummyUps) => {
    const lines = [
      `ups.status: ${s.status}`,
      ...(s.charge !== undefined ? [`battery.charge: ${s.charge}`] : []),
      ...(s.runtime !== undefined ? [`battery.runtime: ${s.runtime}`] : []),
      ...(s.load !== undefined ? [`ups.load: ${s.load}`] : []),
      ...Object.entries(s.extra ?? {}).map(([k, v]) => `${k}: ${v}`),
    ];
    write(dev, lines, 0o644);
    // dummy-ups re-reads on a changed mtime; two writes within one second would look unchanged.
    version++;
    const t = new Date(Date.now() + version * 1000);
    utimesSync(dev, t, t);
  };
  setStatus(initial);
  const env = { NUT_CONFPATH: temp.dir, NUT_STATEPATH: state, NUT_ALTPIDPATH: state };
  let driver: ChildProcess | null = null;
  let upsdPort = 0;
  const startDriver = async (): Promise<void> => {
    let output = '';
    driver = spawn(driverBinary, ['-a', ups, '-u', 'root', '-D', '-F'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    driver.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    driver.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 10_000;
    while (!output.includes('upsdrv_updateinfo')) {
      if (driver.exitCode !== null || Date.now() > deadline) throw new Error(`dummy-ups did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (upsdPort) await untilDriverConnected(upsdPort, ups);
  };
  const killDriver = async () => {
    const d = driver;
    if (!d || d.exitCode !== null || d.signalCode !== null) return;
    const exited = new Promise((r) => d.once('exit', r));
    d.kill('SIGKILL');
    await exited;
  };
  await startDriver();
  const upsd: Peer = await startPeer('upsd', upsdBinary, ['-u', 'root', '-D', '-F'], () => tcpAnswers(port), { env });
  upsdPort = port;
  await untilDriverConnected(port, ups);
  return {
    port,
    ups,
    user,
    setStatus,
    startDriver,
    killDriver,
    freezeDriver: () => driver?.kill('SIGSTOP'),
    thawDriver: () => driver?.kill('SIGCONT'),
    stop: async () => {
      driver?.kill('SIGCONT');
      await killDriver();
      await upsd.stop();
      await temp.remove();
    },
  };
}
