import type { AddressInfo } from 'node:net';
import tlsServer from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../registry.js';
import { makeCertificate } from '../testing/peers.js';

const servers: tlsServer.Server[] = [];

async function serve(cert: { key: string; cert: string }, host = '127.0.0.1'): Promise<number> {
  const server = tlsServer.createServer(cert, (socket) => socket.end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

let good: number;
let expiring: number;
let expired: number;
let otherName: number;
let goodV6: number;
let otherNameV6: number;

beforeAll(async () => {
  const certs = await Promise.all([
    makeCertificate(-1, 200),
    makeCertificate(-300, 2.5),
    makeCertificate(-365, -0.5),
    makeCertificate(-1, 200, { commonName: 'mail.acme.example', ip: false }),
  ]);
  [good, expiring, expired, otherName] = (await Promise.all(certs.map((cert) => serve(cert)))) as [
    number,
    number,
    number,
    number,
  ];
  goodV6 = await serve(certs[0]!, '::1');
  otherNameV6 = await serve(certs[3]!, '::1');
});

afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

const run = (params: Record<string, unknown>) => runCheck('tls', { host: '127.0.0.1', ...params }, { timeoutMs: 3000 });

describe('tls check', () => {
  it('is up with days left when the certificate is valid', async () => {
    const result = await run({ port: good, acceptSelfSigned: true });
    expect(result.status).toBe('up');
    expect(result.message).toMatch(/^certificate valid for 199 more days \(until \d{4}-\d{2}-\d{2}\)$/);
    expect(result.details).toMatchObject({
      protocol: 'TLSv1.3',
      certificate: { subject: 'localhost', issuer: 'localhost' },
    });
  });

  it('is down on an untrusted certificate unless self-signed ones are accepted', async () => {
    const result = await run({ port: good });
    expect(result.status).toBe('down');
    expect(result.message).toBe(
      'certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT); allow self-signed certificates if this is expected',
    );
  });

  it('is degraded within the warning days', async () => {
    const result = await run({ port: expiring, acceptSelfSigned: true, warnDays: 7 });
    expect(result.status).toBe('degraded');
    expect(result.message).toMatch(/^certificate expires in 2 days/);
  });

  it('is up outside a smaller warning window', async () => {
    const result = await run({ port: expiring, acceptSelfSigned: true, warnDays: 1 });
    expect(result.status).toBe('up');
  });

  it('is down when expired, even with self-signed accepted', async () => {
    const result = await run({ port: expired, acceptSelfSigned: true });
    expect(result.status).toBe('down');
    expect(result.message).toMatch(/^certificate expired today \(\d{4}-\d{2}-\d{2}\)$/);
  });

  it('is down when the certificate is for another name', async () => {
    const result = await run({ port: otherName, acceptSelfSigned: true });
    expect(result).toMatchObject({ status: 'down', message: 'certificate is for mail.acme.example, not 127.0.0.1' });
    const named = await run({ port: otherName, acceptSelfSigned: true, servername: 'mail.acme.example' });
    expect(named.status).toBe('up');
  });

  it('judges the certificate of a server at an IPv6 address against that address', async () => {
    expect((await run({ host: '::1', port: goodV6, acceptSelfSigned: true })).status).toBe('up');
    const other = await run({ host: '::1', port: otherNameV6, acceptSelfSigned: true });
    expect(other).toMatchObject({ status: 'down', message: 'certificate is for mail.acme.example, not ::1' });
    expect(
      (await run({ host: '::1', port: otherNameV6, acceptSelfSigned: true, servername: 'mail.acme.example' })).status,
    ).toBe('up');
  });

  it('says so when the port does not speak TLS', async () => {
    const plain = (await import('node:net')).createServer((s) => s.end('220 smtp.example ESMTP\r\n'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as AddressInfo).port;
    const result = await run({ port });
    plain.close();
    expect(result.status).toBe('down');
    expect(result.message).toMatch(/TLS|closed/);
  });
});
