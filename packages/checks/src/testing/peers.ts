/**
 * Helpers for tests that run real peers (sshd, kamailio, snmpd, dovecot…) on loopback.
 * Not part of the build (see tsconfig.json).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import dgram from 'node:dgram';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';

/** Fails (never skips) when a peer binary is missing, naming the Debian package CI installs. */
export function requireBinary(file: string, debianPackage: string): string {
  if (!existsSync(file)) {
    throw new Error(
      `${file} is missing: install the Debian package "${debianPackage}" (bash scripts/peers/install.sh does it)`,
    );
  }
  return file;
}

/** A loopback port free for both TCP and UDP right now. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const server = net.createServer();
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
    const udp = dgram.createSocket('udp4');
    const udpFree = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    udp.close();
    await new Promise((resolve) => server.close(resolve));
    if (udpFree) return port;
  }
  throw new Error('no free loopback port found');
}

export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `afterhours-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function tcpAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface Peer {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts a peer process and waits until `ready()` says it answers. Fails with the peer's own
 * output when it exits early or is not ready within `timeoutMs`.
 */
export async function startPeer(
  name: string,
  command: string,
  args: string[],
  ready: (output: string) => Promise<boolean> | boolean,
  { timeoutMs = 10_000, env }: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<Peer> {
  let output = '';
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited: string | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
      resolve();
    });
    child.once('error', (err) => {
      exited = `could not start: ${err.message}`;
      resolve();
    });
  });
  const stop = async () => {
    if (exited === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) throw new Error(`${name} ${exited}:\n${output}`);
    if (await ready(output)) return { child, output: () => output, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not answer within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const DAY = 86_400_000;

/**
 * A self-signed certificate valid from `fromDays` to `toDays` relative to now, for `commonName`
 * (default localhost) and, unless `ip` is false, for 127.0.0.1 and ::1.
 */
export async function makeCertificate(
  fromDays: number,
  toDays: number,
  { commonName = 'localhost', ip = true }: { commonName?: string; ip?: boolean } = {},
): Promise<{ key: string; cert: string }> {
  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [{ type: 2, value: commonName }];
  if (ip) altNames.push({ type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' });
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() + fromDays * DAY),
    notAfterDate: new Date(Date.now() + toDays * DAY),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
