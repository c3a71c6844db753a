import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../registry.js';
import { freePort, requireBinary, startPeer, tcpAnswers, tempDir, type Peer } from '../testing/peers.js';

// Kamailio on a high loopback port (127.0.0.1 and ::1), UDP and TCP, with a minimal config that answers OPTIONS.
let kamailio: Peer | undefined;
let port: number;
let cleanup: (() => Promise<void>) | undefined;

const config = (port: number) => `#!KAMAILIO
debug=2
log_stderror=yes
children=1
tcp_children=1
auto_aliases=no
listen=udp:127.0.0.1:${port}
listen=tcp:127.0.0.1:${port}
listen=udp:[::1]:${port}
listen=tcp:[::1]:${port}

loadmodule "sl.so"
loadmodule "pv.so"

request_route {
  if (method != "OPTIONS") {
    sl_send_reply("405", "Method Not Allowed");
    exit;
  }
  if ($fU == "stranger") {
    sl_send_reply("404", "Not Found");
    exit;
  }
  if ($fU == "busy") {
    sl_send_reply("503", "Service Unavailable");
    exit;
  }
  sl_send_reply("200", "OK");
}
`;

beforeAll(async () => {
  const binary = requireBinary('/usr/sbin/kamailio', 'kamailio');
  const temp = await tempDir('kamailio');
  cleanup = temp.remove;
  port = await freePort();
  const file = path.join(temp.dir, 'kamailio.cfg');
  writeFileSync(file, config(port));
  kamailio = await startPeer(
    'kamailio',
    binary,
    ['-f', file, '-DD', '-E', '-P', path.join(temp.dir, 'kamailio.pid'), '-Y', temp.dir, '-w', temp.dir],
    () => tcpAnswers(port),
  );
});

afterAll(async () => {
  await kamailio?.stop();
  await cleanup?.();
});

const run = (params: Record<string, unknown>) =>
  runCheck('sip', { host: '127.0.0.1', port, ...params }, { timeoutMs: 3000 });

describe.each(['udp', 'tcp'] as const)('sip check over %s against Kamailio', (transport) => {
  it('is up on 200 OK, naming the server', async () => {
    const result = await run({ transport });
    expect(result.status).toBe('up');
    expect(result.message).toMatch(/^SIP 200 OK from kamailio \(5\.\d+/);
    expect(result.details).toMatchObject({ code: 200, transport });
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('is down on a response outside the expected codes', async () => {
    const result = await run({ transport, fromUser: 'busy' });
    expect(result.status).toBe('down');
    expect(result.message).toMatch(/^SIP 503 Service Unavailable from kamailio .* \(expected 200-299\)$/);
  });

  it('counts 404 as "the phone system answers" when asked to', async () => {
    expect((await run({ transport, fromUser: 'stranger' })).status).toBe('down');
    const result = await run({ transport, fromUser: 'stranger', authResponsesCountAsUp: true });
    expect(result.status).toBe('up');
    expect(result.message).toMatch(/^SIP 404 Not Found from kamailio .* \(the phone system answers\)$/);
  });

  it('accepts a configured list of codes', async () => {
    expect((await run({ transport, fromUser: 'busy', expectedStatus: '200-299,503' })).status).toBe('up');
  });

  it('is up over IPv6 (bracketed addresses in the request line and headers)', async () => {
    const result = await run({ transport, host: '::1' });
    expect(result).toMatchObject({ status: 'up', details: { code: 200, transport } });
    expect(result.message).toMatch(/^SIP 200 OK from kamailio \(5\.\d+/);
  });
});

describe('sip check without a phone system', () => {
  it('is down on TCP with "connection refused"', async () => {
    const closed = await freePort();
    const result = await runCheck('sip', { host: '127.0.0.1', port: closed, transport: 'tcp' }, { timeoutMs: 2000 });
    expect(result).toMatchObject({ status: 'down', message: `connection refused on 127.0.0.1:${closed}` });
  });

  it('is down on UDP, within the timeout', async () => {
    const closed = await freePort();
    const started = Date.now();
    const result = await runCheck('sip', { host: '127.0.0.1', port: closed }, { timeoutMs: 1200 });
    expect(result.status).toBe('down');
    // Linux reports the ICMP port unreachable from loopback, so the answer is immediate.
    expect(result.message).toBe(`nothing listens for SIP on udp 127.0.0.1:${closed} (port unreachable)`);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('names an IPv6 address in brackets with its port', async () => {
    const closed = await freePort();
    const udp = await runCheck('sip', { host: '::1', port: closed }, { timeoutMs: 1200 });
    expect(udp).toMatchObject({
      status: 'down',
      message: `nothing listens for SIP on udp [::1]:${closed} (port unreachable)`,
    });
    const tcp = await runCheck('sip', { host: '::1', port: closed, transport: 'tcp' }, { timeoutMs: 1200 });
    expect(tcp).toMatchObject({ status: 'down', message: `connection refused on [::1]:${closed}` });
  });
});
