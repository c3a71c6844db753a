import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../registry.js';
import { freePort, requireBinary, startPeer, tcpAnswers, tempDir, type Peer } from '../testing/peers.js';

// OpenSSH's sshd on a high loopback port (127.0.0.1 and ::1), with its own host key and config in a temp dir.
let sshd: Peer | undefined;
let port: number;
let cleanup: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const binary = requireBinary('/usr/sbin/sshd', 'openssh-server');
  const keygen = requireBinary('/usr/bin/ssh-keygen', 'openssh-client');
  const temp = await tempDir('sshd');
  cleanup = temp.remove;
  port = await freePort();
  const hostKey = path.join(temp.dir, 'host_ed25519');
  execFileSync(keygen, ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  const config = path.join(temp.dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `ListenAddress [::1]:${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${path.join(temp.dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      '',
    ].join('\n'),
  );
  // sshd refuses to start without its privilege-separation directory.
  mkdirSync('/run/sshd', { recursive: true });
  sshd = await startPeer('sshd', binary, ['-D', '-e', '-f', config], () => tcpAnswers(port));
});

afterAll(async () => {
  await sshd?.stop();
  await cleanup?.();
});

describe('ssh check against OpenSSH sshd', () => {
  it('reads the identification banner', async () => {
    const result = await runCheck('ssh', { host: '127.0.0.1', port }, { timeoutMs: 3000 });
    expect(result.status).toBe('up');
    expect(result.message).toMatch(/^SSH-2\.0-OpenSSH_\S+/);
    expect(result.details).toMatchObject({ protocol: '2.0', software: expect.stringMatching(/^OpenSSH_/) });
  });

  it('checks for expected text in the banner', async () => {
    expect(
      (await runCheck('ssh', { host: '127.0.0.1', port, bannerContains: 'OpenSSH' }, { timeoutMs: 3000 })).status,
    ).toBe('up');
    const result = await runCheck('ssh', { host: '127.0.0.1', port, bannerContains: 'dropbear' }, { timeoutMs: 3000 });
    expect(result.status).toBe('down');
    expect(result.message).toMatch(/banner does not contain "dropbear"$/);
  });

  it('reads the banner over IPv6', async () => {
    const result = await runCheck('ssh', { host: '::1', port }, { timeoutMs: 3000 });
    expect(result.status).toBe('up');
    expect(result.message).toMatch(/^SSH-2\.0-OpenSSH_\S+/);
  });

  it('is down with "connection refused" on a closed port', async () => {
    const closed = await freePort();
    const result = await runCheck('ssh', { host: '127.0.0.1', port: closed }, { timeoutMs: 3000 });
    expect(result).toMatchObject({ status: 'down', message: `connection refused on 127.0.0.1:${closed}` });
    const v6 = await runCheck('ssh', { host: '::1', port: closed }, { timeoutMs: 3000 });
    expect(v6).toMatchObject({ status: 'down', message: `connection refused on [::1]:${closed}` });
  });
});
