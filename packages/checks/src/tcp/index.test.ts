import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../registry.js';
import { freePort } from '../testing/peers.js';

describe('tcp check', () => {
  let server: net.Server;
  let openPort: number;

  beforeAll(async () => {
    server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    openPort = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is up on an IPv6 address, and names it in brackets with a port when refused', async () => {
    const v6 = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => v6.listen(0, '::1', resolve));
    const port = (v6.address() as net.AddressInfo).port;
    try {
      const result = await runCheck('tcp', { host: '::1', port }, { timeoutMs: 2000 });
      expect(result).toMatchObject({ status: 'up', message: `port ${port} open on ::1`, details: { address: '::1' } });
    } finally {
      await new Promise<void>((resolve) => v6.close(() => resolve()));
    }
    const refused = await runCheck('tcp', { host: '::1', port }, { timeoutMs: 2000 });
    expect(refused).toMatchObject({
      status: 'down',
      message: `connection refused on [::1]:${port}`,
      details: { target: `[::1]:${port}` },
    });
  });

  it('is up when the port accepts a connection', async () => {
    const result = await runCheck('tcp', { host: '127.0.0.1', port: openPort }, { timeoutMs: 2000 });
    expect(result.status).toBe('up');
    expect(result.message).toBe(`port ${openPort} open on 127.0.0.1`);
    expect(result.details).toEqual({ address: '127.0.0.1' });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('is down with "connection refused" when nothing listens', async () => {
    const closedPort = await freePort();
    const result = await runCheck('tcp', { host: '127.0.0.1', port: closedPort }, { timeoutMs: 2000 });
    expect(result).toMatchObject({
      status: 'down',
      latencyMs: null,
      message: `connection refused on 127.0.0.1:${closedPort}`,
    });
  });
});
