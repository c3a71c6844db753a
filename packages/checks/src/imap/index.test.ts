import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../registry.js';
import {
  freePort,
  makeCertificate,
  requireBinary,
  startPeer,
  tcpAnswers,
  tempDir,
  type Peer,
} from '../testing/peers.js';

// Dovecot on two high loopback ports (IMAP with STARTTLS, and IMAPS), config and users in a temp dir.
let dovecot: Peer | undefined;
let imapPort: number;
let imapsPort: number;
let cleanup: (() => Promise<void>) | undefined;

const NOBODY = 65534; // mail processes must not run as root; Debian's nobody/nogroup

beforeAll(async () => {
  const binary = requireBinary('/usr/sbin/dovecot', 'dovecot-imapd');
  requireBinary('/usr/lib/dovecot/imap', 'dovecot-imapd');
  const temp = await tempDir('dovecot');
  cleanup = temp.remove;
  const dir = temp.dir;
  chmodSync(dir, 0o755); // Dovecot's auth and mail processes run as unprivileged users and must reach their files
  imapPort = await freePort();
  imapsPort = await freePort();
  const certificate = await makeCertificate(-1, 60);
  writeFileSync(path.join(dir, 'cert.pem'), certificate.cert);
  writeFileSync(path.join(dir, 'key.pem'), certificate.key, { mode: 0o600 });
  writeFileSync(path.join(dir, 'passwd'), 'alice:{PLAIN}wonderland\n');
  for (const sub of ['run', 'state', 'home']) mkdirSync(path.join(dir, sub));
  chownSync(path.join(dir, 'home'), NOBODY, NOBODY);
  const config = path.join(dir, 'dovecot.conf');
  writeFileSync(
    config,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = /dev/stderr
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <${dir}/cert.pem
ssl_key = <${dir}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${NOBODY} gid=${NOBODY} home=${dir}/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  chroot =
  inet_listener imap {
    port = ${imapPort}
  }
  inet_listener imaps {
    port = ${imapsPort}
    ssl = yes
  }
}
service anvil {
  chroot =
}
`,
  );
  dovecot = await startPeer(
    'dovecot',
    binary,
    ['-F', '-c', config],
    async () => (await tcpAnswers(imapPort)) && tcpAnswers(imapsPort),
  );
});

afterAll(async () => {
  await dovecot?.stop();
  await cleanup?.();
});

const run = (params: Record<string, unknown>) =>
  runCheck('imap', { host: '127.0.0.1', acceptSelfSigned: true, ...params }, { timeoutMs: 5000 });

describe('imap check against Dovecot', () => {
  it('is up on the * OK greeting', async () => {
    const result = await run({ port: imapPort });
    expect(result).toMatchObject({ status: 'up', message: 'IMAP OK Dovecot (Debian) ready' });
    expect(result.details?.greeting).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 .*STARTTLS/);
  });

  it('logs in over plain IMAP', async () => {
    const result = await run({ port: imapPort, username: 'alice', password: 'wonderland' });
    expect(result).toMatchObject({ status: 'up', message: 'IMAP OK Dovecot (Debian) ready; logged in as alice' });
  });

  it('does STARTTLS, then logs in', async () => {
    const result = await run({ port: imapPort, security: 'starttls', username: 'alice', password: 'wonderland' });
    expect(result).toMatchObject({
      status: 'up',
      message: 'IMAP OK Dovecot (Debian) ready; STARTTLS ok; logged in as alice',
    });
  });

  it('speaks implicit TLS (IMAPS) and reports the certificate', async () => {
    const result = await run({ port: imapsPort, security: 'tls', username: 'alice', password: 'wonderland' });
    expect(result.status).toBe('up');
    expect(result.details?.certificate).toMatchObject({ subject: 'localhost', daysLeft: 59 });
  });

  it('is degraded when the certificate is inside the warning days', async () => {
    const result = await run({ port: imapsPort, security: 'tls', certExpiryWarnDays: 90 });
    expect(result.status).toBe('degraded');
    expect(result.message).toMatch(/; certificate expires in 59 days \(\d{4}-\d{2}-\d{2}\)$/);
  });

  it('is down when the password is wrong, with the reason Dovecot gives', async () => {
    const result = await run({ port: imapPort, username: 'alice', password: 'looking-glass' });
    expect(result).toMatchObject({
      status: 'down',
      message: 'login as alice refused: NO [AUTHENTICATIONFAILED] Authentication failed.',
    });
  });

  it('is down with "connection refused" when nothing listens', async () => {
    const closed = await freePort();
    const result = await run({ port: closed });
    expect(result).toMatchObject({ status: 'down', message: `connection refused on 127.0.0.1:${closed}` });
  });
});
