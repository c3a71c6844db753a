import httpServer from 'node:http';
import httpsServer from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../registry.js';
import { makeCertificate } from '../testing/peers.js';

const pending: httpServer.ServerResponse[] = [];

function handler(req: httpServer.IncomingMessage, res: httpServer.ServerResponse): void {
  switch (req.url) {
    case '/ok':
      res.end('<h1>Welcome to Acme</h1>');
      return;
    case '/broken':
      res.end('Error establishing a database connection');
      return;
    case '/unavailable':
      res.writeHead(503).end('down for maintenance');
      return;
    case '/moved':
      res.writeHead(302, { location: '/ok' }).end();
      return;
    case '/loop':
      res.writeHead(301, { location: '/loop' }).end();
      return;
    case '/method':
      res.end(`method ${req.method}`);
      return;
    case '/hang':
      pending.push(res); // never answers
      return;
    default:
      res.writeHead(404).end('not found');
  }
}

async function listen(server: httpServer.Server, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

const servers: httpServer.Server[] = [];
let plain: string;
let goodTls: string;
let expiringTls: string;
let expiredTls: string;
let plainV6: string;
let goodTlsV6: string;
let otherNameTlsV6: string;

beforeAll(async () => {
  const [good, expiring, expired, otherName] = await Promise.all([
    makeCertificate(-1, 90),
    makeCertificate(-80, 6.5),
    makeCertificate(-60, -3),
    makeCertificate(-1, 90, { commonName: 'www.acme.example', ip: false }),
  ]);
  const make = async (server: httpServer.Server, scheme: string, host = '127.0.0.1') => {
    servers.push(server);
    return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${await listen(server, host)}`;
  };
  plainV6 = await make(httpServer.createServer(handler), 'http', '::1');
  goodTlsV6 = await make(httpsServer.createServer(good, handler), 'https', '::1');
  otherNameTlsV6 = await make(httpsServer.createServer(otherName, handler), 'https', '::1');
  plain = await make(httpServer.createServer(handler), 'http');
  goodTls = await make(httpsServer.createServer(good, handler), 'https');
  expiringTls = await make(httpsServer.createServer(expiring, handler), 'https');
  expiredTls = await make(httpsServer.createServer(expired, handler), 'https');
});

afterAll(async () => {
  for (const res of pending) res.destroy();
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const run = (params: Record<string, unknown>, timeoutMs = 3000) => runCheck('http', params, { timeoutMs });

describe('http check', () => {
  it('is up on 200 with the keyword present', async () => {
    const result = await run({ url: `${plain}/ok`, mustContain: 'Welcome' });
    expect(result).toMatchObject({ status: 'up', message: 'HTTP 200 OK' });
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('is down when the keyword is missing', async () => {
    const result = await run({ url: `${plain}/ok`, mustContain: 'Acme Portal' });
    expect(result).toMatchObject({ status: 'down', message: '"Acme Portal" not found in the page' });
  });

  it('is down when a forbidden keyword is present', async () => {
    const result = await run({ url: `${plain}/broken`, mustNotContain: 'Error establishing' });
    expect(result).toMatchObject({ status: 'down', message: 'page contains "Error establishing"' });
  });

  it('is down on a status outside the expected codes', async () => {
    const result = await run({ url: `${plain}/unavailable` });
    expect(result).toMatchObject({ status: 'down', message: 'HTTP 503 Service Unavailable (expected 200-399)' });
  });

  it('accepts a configured status list', async () => {
    const result = await run({ url: `${plain}/unavailable`, expectedStatus: '200-299,503' });
    expect(result.status).toBe('up');
  });

  it('follows redirects', async () => {
    const result = await run({ url: `${plain}/moved`, mustContain: 'Welcome' });
    expect(result).toMatchObject({ status: 'up', message: 'HTTP 200 OK after 1 redirect' });
    expect(result.details?.redirects).toEqual([`302 ${plain}/moved`]);
  });

  it('can leave redirects alone and judge the 3xx itself', async () => {
    expect(await run({ url: `${plain}/moved`, followRedirects: false })).toMatchObject({
      status: 'up',
      message: 'HTTP 302 Found',
    });
    expect(await run({ url: `${plain}/moved`, followRedirects: false, expectedStatus: '200' })).toMatchObject({
      status: 'down',
      message: 'HTTP 302 Found (expected 200)',
    });
  });

  it('is down after too many redirects', async () => {
    const result = await run({ url: `${plain}/loop`, maxRedirects: 3 });
    expect(result).toMatchObject({ status: 'down', message: 'too many redirects (more than 3), last to /loop' });
  });

  it('sends the method and body it is given', async () => {
    const result = await run({ url: `${plain}/method`, method: 'POST', body: 'x', mustContain: 'method POST' });
    expect(result.status).toBe('up');
  });

  it('times out on a server that never answers, quickly', async () => {
    const started = Date.now();
    const result = await run({ url: `${plain}/hang` }, 400);
    expect(result).toMatchObject({ status: 'down', latencyMs: null, message: 'timed out after 400 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('is down with "connection refused" when nothing listens', async () => {
    const result = await run({ url: 'http://127.0.0.1:1/' });
    expect(result).toMatchObject({ status: 'down', message: 'connection refused on 127.0.0.1:1' });
  });
});

describe('https check', () => {
  it('is up with a valid certificate (self-signed accepted)', async () => {
    const result = await run({ url: `${goodTls}/ok`, acceptSelfSigned: true });
    expect(result).toMatchObject({ status: 'up', message: 'HTTP 200 OK' });
    expect(result.details?.certificate).toMatchObject({ subject: 'localhost', daysLeft: 89 });
  });

  it('is down on a self-signed certificate unless accepted', async () => {
    const result = await run({ url: `${goodTls}/ok` });
    expect(result.status).toBe('down');
    expect(result.message).toContain('certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)');
  });

  it('is degraded when the certificate expires within the warning days', async () => {
    const result = await run({ url: `${expiringTls}/ok`, acceptSelfSigned: true, certExpiryWarnDays: 14 });
    expect(result.status).toBe('degraded');
    expect(result.message).toMatch(/^HTTP 200 OK; certificate expires in 6 days \(\d{4}-\d{2}-\d{2}\)$/);
  });

  it('is down when the certificate has expired', async () => {
    const result = await run({ url: `${expiredTls}/ok`, acceptSelfSigned: true });
    expect(result.status).toBe('down');
    expect(result.message).toMatch(/^certificate expired 3 days ago \(\d{4}-\d{2}-\d{2}\)$/);
  });
});

describe('http check over IPv6', () => {
  it('reads a page at a bracketed address, and follows a relative redirect there', async () => {
    expect(await run({ url: `${plainV6}/ok`, mustContain: 'Welcome' })).toMatchObject({
      status: 'up',
      message: 'HTTP 200 OK',
      details: { url: `${plainV6}/ok` },
    });
    const moved = await run({ url: `${plainV6}/moved` });
    expect(moved).toMatchObject({
      status: 'up',
      message: 'HTTP 200 OK after 1 redirect',
      details: { url: `${plainV6}/ok`, redirects: [`302 ${plainV6}/moved`] },
    });
  });

  it('judges the certificate against the IPv6 address', async () => {
    expect(await run({ url: `${goodTlsV6}/ok`, acceptSelfSigned: true })).toMatchObject({
      status: 'up',
      message: 'HTTP 200 OK',
    });
    expect(await run({ url: `${otherNameTlsV6}/ok`, acceptSelfSigned: true })).toMatchObject({
      status: 'down',
      message: 'certificate is for www.acme.example, not ::1',
    });
  });

  it('names a refused address in brackets with its port', async () => {
    const closed = httpServer.createServer();
    const free = await listen(closed, '::1');
    await new Promise((resolve) => closed.close(resolve));
    expect(await run({ url: `http://[::1]:${free}/` })).toMatchObject({
      status: 'down',
      message: `connection refused on [::1]:${free}`,
    });
  });
});
