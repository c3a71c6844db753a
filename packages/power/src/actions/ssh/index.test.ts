import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../checks/src/testing/peers.js';
import { startSshd, type TestSshd } from '../../testing/sshd.js';
import { runAction } from '../registry.js';

// Real OpenSSH sshd; every command runs a recording script (ForceCommand) instead of a real shutdown.
let sshd: TestSshd;
beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});

const settings = () => ({ host: '127.0.0.1', port: sshd.port, username: 'root', privateKey: sshd.privateKey });

describe('ssh power action against sshd', () => {
  it('sends the default shutdown command and pins the host key on first use', async () => {
    const before = Date.now();
    const result = await runAction({ kind: 'ssh', settings: settings() }, 'shutdown', 5000);
    expect(result).toMatchObject({ ok: true, pinnedHostKey: sshd.hostKey });
    expect(result.message).toMatch(
      /^ssh root@127\.0\.0\.1:\d+: "sudo shutdown -h now" sent \(exit 0\) — system is going down$/,
    );
    const last = sshd.recorded().at(-1);
    expect(last?.command).toBe('sudo shutdown -h now');
    expect(last?.at).toBeGreaterThanOrEqual(before - 1000);
  });

  it('sends a Windows command as given, with the pinned key', async () => {
    const result = await runAction(
      { kind: 'ssh', settings: { ...settings(), command: 'shutdown /s /t 0', hostKey: sshd.hostKey } },
      'shutdown',
      5000,
    );
    expect(result.ok).toBe(true);
    expect(result.pinnedHostKey).toBeUndefined();
    expect(sshd.recorded().at(-1)?.command).toBe('shutdown /s /t 0');
  });

  it('refuses a host whose key changed, sending nothing', async () => {
    const count = sshd.recorded().length;
    const result = await runAction(
      { kind: 'ssh', settings: { ...settings(), hostKey: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } },
      'shutdown',
      5000,
    );
    expect(result).toMatchObject({ ok: false, refusedHostKey: sshd.hostKey });
    expect(result.message).toContain(`host key changed (the server shows ${sshd.hostKey}, pinned is SHA256:AAAA`);
    expect(result.message).toContain('re-pin');
    expect(sshd.recorded().length).toBe(count);
  });

  it('says when login is refused or nothing listens, and cannot start a system', async () => {
    const refused = await runAction({ kind: 'ssh', settings: { ...settings(), username: 'nobody' } }, 'shutdown', 5000);
    expect(refused).toMatchObject({ ok: false });
    expect(refused.message).toMatch(/login refused/);
    const closed = await freePort();
    const down = await runAction({ kind: 'ssh', settings: { ...settings(), port: closed } }, 'shutdown', 5000);
    expect(down.message).toBe(`ssh root@127.0.0.1:${closed}: connection refused on 127.0.0.1:${closed}`);
    expect((await runAction({ kind: 'ssh', settings: settings() }, 'startup', 5000)).message).toBe(
      'SSH command cannot start a system',
    );
  });
});
