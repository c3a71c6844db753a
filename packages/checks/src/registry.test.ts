import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkKinds } from './types.js';
import { checks, InvalidCheckParamsError, parseCheckParams, runCheck } from './registry.js';

describe('registry', () => {
  it('has a definition for every kind, under its own name', () => {
    for (const kind of checkKinds) expect(checks[kind].kind).toBe(kind);
  });

  it('fills in defaults', () => {
    expect(parseCheckParams('ssh', { host: 'nas.example.com' })).toEqual({ host: 'nas.example.com', port: 22 });
  });

  it('names each bad field', () => {
    let error: unknown;
    try {
      parseCheckParams('tcp', { host: '-oProxyCommand=x', port: 70000, extra: 1 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidCheckParamsError);
    expect((error as InvalidCheckParamsError).fields).toMatchObject({
      host: expect.stringContaining('host name or an IP address'),
      port: 'must be between 1 and 65535',
    });
  });

  it('takes IPv6 addresses without brackets as hosts, and says so for bracketed ones', () => {
    for (const host of ['::1', '2001:db8::10', 'fe80::1%eth0', '::ffff:192.0.2.10'])
      expect(parseCheckParams('tcp', { host, port: 22 }).host).toBe(host);
    expect(() => parseCheckParams('tcp', { host: '[::1]', port: 22 })).toThrow(/without brackets/);
  });

  it('returns bad settings as a down result instead of throwing', async () => {
    const result = await runCheck('tcp', { host: '127.0.0.1' }, { timeoutMs: 1000 });
    expect(result.status).toBe('down');
    expect(result.message).toMatch(/^invalid tcp check settings: port /);
  });
});

describe('runCheck against a peer that never answers', () => {
  let server: net.Server;
  let port: number;
  const held: net.Socket[] = [];

  beforeAll(async () => {
    server = net.createServer((socket) => held.push(socket)); // accepts, then says nothing
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives "timed out after N ms" on time and frees the connection', async () => {
    const started = Date.now();
    const result = await runCheck('ssh', { host: '127.0.0.1', port }, { timeoutMs: 300 });
    expect(result).toMatchObject({ status: 'down', latencyMs: null, message: 'timed out after 300 ms' });
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(held.every((s) => s.readableEnded || s.destroyed || s.closed)).toBe(true);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('hub shutting down')), 100);
    const result = await runCheck('ssh', { host: '127.0.0.1', port }, { timeoutMs: 5000, signal: controller.signal });
    expect(result).toMatchObject({ status: 'down', message: 'check cancelled (hub shutting down)' });
  });

  it('does not start a check whose caller has already given up, and leaves no listener behind', async () => {
    let accepted = 0;
    const server = net.createServer((s) => {
      accepted++;
      s.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const tcpPort = (server.address() as net.AddressInfo).port;
    const gone = new AbortController();
    gone.abort(new Error('hub shutting down'));
    const cancelled = await runCheck(
      'tcp',
      { host: '127.0.0.1', port: tcpPort },
      { timeoutMs: 5000, signal: gone.signal },
    );
    expect(cancelled).toMatchObject({ status: 'down', message: 'check cancelled (hub shutting down)' });
    const live = new AbortController();
    let calls = 0;
    const count = () => calls++;
    const result = await runCheck(
      'tcp',
      { host: '127.0.0.1', port: tcpPort },
      { timeoutMs: 5000, signal: live.signal },
    );
    expect(result.status).toBe('up');
    live.signal.addEventListener('abort', count);
    live.abort();
    expect(calls).toBe(1); // only the listener added here: the finished check removed its own
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(accepted).toBe(1);
  });
});
