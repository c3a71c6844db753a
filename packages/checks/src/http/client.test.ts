import net from 'node:net';
import httpServer from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../registry.js';
import { httpRequest } from './client.js';

// Servers that write their answers byte by byte as given, to cover the ways HTTP/1.1 frames a body
// (length, chunks, until close), interim answers, and answers that are not HTTP at all.
const raw: net.Server[] = [];

async function rawServer(answer: (request: string, socket: net.Socket) => void): Promise<string> {
  const server = net.createServer((socket) => {
    let text = '';
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
      if (Buffer.byteLength(text.slice(text.indexOf('\r\n\r\n') + 4), 'latin1') < length) return;
      answer(text, socket);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  raw.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let chunked: string;
let untilClose: string;
let interim: string;
let notHttp: string;
let closesEarly: string;
let huge: string;
let echo: string;

beforeAll(async () => {
  chunked = await rawServer((_req, s) => {
    // The keyword is split across two chunks; chunk extensions and trailers are legal and ignored.
    s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n');
    s.write('7;ext=1\r\nsystem \r\n');
    setTimeout(() => s.end('9\r\nhealthy. \r\n4\r\nDone\r\n0\r\nX-Trailer: 1\r\n\r\n'), 20);
  });
  untilClose = await rawServer((_req, s) =>
    s.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nno length, the end of the connection ends it'),
  );
  interim = await rawServer((_req, s) =>
    s.end('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\ncreated'),
  );
  notHttp = await rawServer((_req, s) => s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n\r\n'));
  closesEarly = await rawServer((_req, s) => s.end('HTTP/1.1 200 OK\r\nContent-Le'));
  huge = await rawServer((_req, s) => {
    s.write('HTTP/1.1 200 OK\r\nContent-Length: 3000000\r\n\r\n');
    s.write(Buffer.alloc(1_100_000, 'a'));
    s.write('needle'); // past the 1 MiB the check reads
  });
  const server = httpServer.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () =>
      res.end(
        JSON.stringify({
          method: req.method,
          host: req.headers.host,
          agent: req.headers['user-agent'],
          key: req.headers['x-key'],
          body,
        }),
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  raw.push(server as unknown as net.Server);
  echo = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  for (const s of raw) s.close();
});

const check = (url: string, extra: Record<string, unknown> = {}) =>
  runCheck('http', { url, ...extra }, { timeoutMs: 3000 });

describe('the http check’s HTTP/1.1 client', () => {
  it('reads a chunked body, a keyword split across chunks included', async () => {
    const result = await check(`${chunked}/`, { mustContain: 'system healthy. Done' });
    expect(result.status).toBe('up');
  });

  it('reads a body that ends with the connection (HTTP/1.0)', async () => {
    expect((await check(`${untilClose}/`, { mustContain: 'the end of the connection' })).status).toBe('up');
  });

  it('skips an interim 100 Continue and judges the final answer', async () => {
    const result = await check(`${interim}/`, { expectedStatus: '201' });
    expect(result).toMatchObject({ status: 'up', message: 'HTTP 201 Created' });
  });

  it('says so when the port does not speak HTTP', async () => {
    const result = await check(`${notHttp}/`);
    expect(result.status).toBe('down');
    expect(result.message).toMatch(
      /^the answer is not HTTP: "SSH-2\.0-OpenSSH_9\.2p1 Debian-2" from 127\.0\.0\.1:\d+$/,
    );
  });

  it('says so when the connection closes before the answer’s headers are complete', async () => {
    const result = await check(`${closesEarly}/`);
    expect(result.status).toBe('down');
    expect(result.message).toMatch(/^connection closed by 127\.0\.0\.1:\d+ before it finished answering$/);
  });

  it('reads at most 1 MiB of a page, then stops', async () => {
    const result = await check(`${huge}/`, { mustContain: 'needle' });
    expect(result).toMatchObject({ status: 'down', message: '"needle" not found in the page' });
  });

  it('sends Host with the port, its user agent (or the check’s own), the check’s headers and a body with its length', async () => {
    const answer = await httpRequest({
      url: new URL(`${echo}/x?y=1`),
      method: 'POST',
      headers: { 'user-agent': 'Afterhours-check/1', 'X-Key': 'k1', Host: 'ignored.example', 'Content-Length': '999' },
      body: 'héllo',
      signal: AbortSignal.timeout(3000),
      maxBodyBytes: 10_000,
    });
    expect(answer.status).toBe(200);
    const echoed = JSON.parse(answer.body.toString());
    expect(echoed).toEqual({
      method: 'POST',
      host: new URL(echo).host,
      agent: 'Afterhours-check/1',
      key: 'k1',
      body: 'héllo',
    });
  });

  it('sends a HEAD without waiting for a body that will not come', async () => {
    const answer = await httpRequest({
      url: new URL(`${echo}/`),
      method: 'HEAD',
      headers: {},
      body: undefined,
      signal: AbortSignal.timeout(3000),
      maxBodyBytes: 10,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.length).toBe(0);
  });
});

describe('http check settings', () => {
  it('refuses header names and values that would break the request, naming the field', async () => {
    const badName = await runCheck(
      'http',
      { url: 'http://127.0.0.1/', headers: { 'X Bad': 'v' } },
      { timeoutMs: 1000 },
    );
    expect(badName.status).toBe('down');
    expect(badName.message).toMatch(/headers/);
    const badValue = await runCheck(
      'http',
      { url: 'http://127.0.0.1/', headers: { 'X-Ok': 'v\r\nInjected: 1' } },
      { timeoutMs: 1000 },
    );
    expect(badValue.status).toBe('down');
    expect(badValue.message).toMatch(/one line/);
  });
});
