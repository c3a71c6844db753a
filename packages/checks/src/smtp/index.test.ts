import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../registry.js';
import { makeCertificate } from '../testing/peers.js';

// smtp-server (Nodemailer's SMTP server implementation) on loopback: plain with STARTTLS, implicit TLS,
// an expiring certificate, no STARTTLS, AUTH LOGIN only, and one that turns every client away.
const servers: SMTPServer[] = [];

async function serve(options: SMTPServerOptions): Promise<number> {
  const server = new SMTPServer({
    name: 'mx.acme.test',
    banner: 'Acme mail',
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'alice' && auth.password === 'wonderland') callback(null, { user: auth.username });
      else callback(new Error('Authentication credentials invalid'));
    },
    logger: false,
    ...options,
  });
  server.on('error', () => undefined);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.server.address() as AddressInfo).port;
}

const ports: Record<string, number> = {};

beforeAll(async () => {
  const [good, expiring] = await Promise.all([makeCertificate(-1, 120), makeCertificate(-80, 4.5)]);
  ports.starttls = await serve({ ...good });
  ports.implicit = await serve({ ...good, secure: true });
  ports.expiring = await serve({ ...expiring });
  ports.noStarttls = await serve({ hideSTARTTLS: true, allowInsecureAuth: true });
  ports.noAuth = await serve({ disabledCommands: ['AUTH'] });
  ports.loginOnly = await serve({ ...good, authMethods: ['LOGIN'] });
  ports.refusing = await serve({
    onConnect(_session, callback) {
      callback(Object.assign(new Error('Too many connections from your address'), { responseCode: 421 }));
    },
  });
});

afterAll(() => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))));

const run = (port: keyof typeof ports, params: Record<string, unknown> = {}) =>
  runCheck('smtp', { host: '127.0.0.1', port: ports[port], acceptSelfSigned: true, ...params }, { timeoutMs: 3000 });

describe('smtp check against smtp-server', () => {
  it('is up on a 220 banner and EHLO', async () => {
    const result = await run('starttls');
    expect(result).toMatchObject({ status: 'up', message: 'SMTP 220 mx.acme.test ESMTP Acme mail' });
    expect(result.details?.extensions).toContain('STARTTLS');
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('does STARTTLS and logs in', async () => {
    const result = await run('starttls', { security: 'starttls', username: 'alice', password: 'wonderland' });
    expect(result).toMatchObject({
      status: 'up',
      message: 'SMTP 220 mx.acme.test ESMTP Acme mail; STARTTLS ok; logged in as alice (PLAIN)',
    });
    expect(result.details?.certificate).toMatchObject({ subject: 'localhost', daysLeft: 119 });
  });

  it('logs in with AUTH LOGIN when PLAIN is not offered', async () => {
    const result = await run('loginOnly', { security: 'starttls', username: 'alice', password: 'wonderland' });
    expect(result.status).toBe('up');
    expect(result.message).toMatch(/logged in as alice \(LOGIN\)$/);
  });

  it('is down when the password is wrong', async () => {
    const result = await run('starttls', { security: 'starttls', username: 'alice', password: 'looking-glass' });
    expect(result).toMatchObject({
      status: 'down',
      message: 'login as alice refused: 535 Authentication credentials invalid',
    });
  });

  it('is down, with the reason the server gives, when AUTH needs STARTTLS first', async () => {
    const result = await run('starttls', { username: 'alice', password: 'wonderland' });
    expect(result).toMatchObject({
      status: 'down',
      message: 'login as alice refused: 538 Error: Must issue a STARTTLS command first',
    });
  });

  it('is down when AUTH is wanted but not offered', async () => {
    const result = await run('noAuth', { username: 'alice', password: 'wonderland' });
    expect(result).toMatchObject({
      status: 'down',
      message: 'server does not offer AUTH on this connection (many only offer it after STARTTLS)',
    });
  });

  it('is down when STARTTLS is wanted but not offered', async () => {
    const result = await run('noStarttls', { security: 'starttls' });
    expect(result).toMatchObject({
      status: 'down',
      message: 'SMTP 220 mx.acme.test ESMTP Acme mail: server does not offer STARTTLS',
    });
  });

  it('speaks implicit TLS (port 465 style)', async () => {
    const result = await run('implicit', { security: 'tls', username: 'alice', password: 'wonderland' });
    expect(result).toMatchObject({
      status: 'up',
      message: 'SMTP 220 mx.acme.test ESMTP Acme mail; logged in as alice (PLAIN)',
    });
  });

  it('is degraded when the STARTTLS certificate is about to expire', async () => {
    const result = await run('expiring', { security: 'starttls' });
    expect(result.status).toBe('degraded');
    expect(result.message).toMatch(
      /^SMTP 220 mx\.acme\.test ESMTP Acme mail; STARTTLS ok; certificate expires in 4 days/,
    );
  });

  it('is down on an untrusted certificate unless accepted', async () => {
    const result = await run('starttls', { security: 'starttls', acceptSelfSigned: false });
    expect(result.status).toBe('down');
    expect(result.message).toMatch(/^certificate is not trusted/);
  });

  it('is down when the server turns clients away', async () => {
    const result = await run('refusing');
    expect(result).toMatchObject({
      status: 'down',
      message: 'server turned us away: 421 Too many connections from your address',
    });
  });

  it('is down with "connection refused" when nothing listens', async () => {
    const result = await runCheck('smtp', { host: '127.0.0.1', port: 1 }, { timeoutMs: 2000 });
    expect(result).toMatchObject({ status: 'down', message: 'connection refused on 127.0.0.1:1' });
  });

  it('wants a password with a username', async () => {
    const result = await runCheck('smtp', { host: '127.0.0.1', username: 'alice' }, { timeoutMs: 2000 });
    expect(result.message).toBe(
      'invalid smtp check settings: password is required when the other of username and password is given',
    );
  });
});
