import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import * as packet from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../registry.js';

/** A tiny authoritative DNS server for acme.test, answering over UDP on loopback. */
const zone: Record<string, packet.Answer[]> = {
  'A acme.test': [{ type: 'A', name: 'acme.test', ttl: 60, data: '192.0.2.10' }],
  'AAAA acme.test': [{ type: 'AAAA', name: 'acme.test', ttl: 60, data: '2001:db8::10' }],
  'MX acme.test': [
    { type: 'MX', name: 'acme.test', ttl: 60, data: { preference: 20, exchange: 'backup-mx.acme.test' } },
    { type: 'MX', name: 'acme.test', ttl: 60, data: { preference: 10, exchange: 'mx.acme.test' } },
  ],
  'TXT acme.test': [{ type: 'TXT', name: 'acme.test', ttl: 60, data: ['v=spf1 mx ', '-all'] }],
  'CNAME www.acme.test': [{ type: 'CNAME', name: 'www.acme.test', ttl: 60, data: 'acme.test' }],
  'NS acme.test': [{ type: 'NS', name: 'acme.test', ttl: 60, data: 'ns1.acme.test' }],
  'SRV _sip._udp.acme.test': [
    {
      type: 'SRV',
      name: '_sip._udp.acme.test',
      ttl: 60,
      data: { priority: 10, weight: 5, port: 5060, target: 'pbx.acme.test' },
    },
  ],
};
const names = new Set(Object.keys(zone).map((k) => k.split(' ')[1]));

let server: dgram.Socket;
let resolver: string;
let serverV6: dgram.Socket;
let resolverV6: string;
let silent: dgram.Socket;
let silentResolver: string;

/** Answers for the zone on a UDP socket bound to `address` (127.0.0.1 or ::1). */
async function zoneServer(address: string): Promise<dgram.Socket> {
  const socket = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', (message, from) => {
    const query = packet.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    if (name === 'broken.acme.test') {
      socket.send(
        packet.encode({
          id: query.id,
          type: 'response',
          flags: packet.RECURSION_DESIRED | 2,
          questions: query.questions,
        }),
        from.port,
        from.address,
      );
      return;
    }
    const answers = zone[`${question.type} ${name}`] ?? [];
    const rcode = answers.length || names.has(name) ? 0 : 3; // NXDOMAIN for unknown names
    const response = packet.encode({
      id: query.id,
      type: 'response',
      flags: packet.AUTHORITATIVE_ANSWER | rcode,
      questions: query.questions,
      answers,
    });
    socket.send(response, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return socket;
}

beforeAll(async () => {
  server = await zoneServer('127.0.0.1');
  resolver = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  serverV6 = await zoneServer('::1');
  resolverV6 = `[::1]:${(serverV6.address() as AddressInfo).port}`;

  silent = dgram.createSocket('udp4'); // receives queries and never answers
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  silentResolver = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
  serverV6.close();
  silent.close();
});

const run = (params: Record<string, unknown>, timeoutMs = 2000) =>
  runCheck('dns', { server: resolver, ...params }, { timeoutMs });

describe('dns check', () => {
  it('looks up an A record at the given resolver and port', async () => {
    const result = await run({ name: 'acme.test', type: 'A' });
    expect(result).toMatchObject({
      status: 'up',
      message: 'A acme.test → 192.0.2.10',
      details: { answers: ['192.0.2.10'], server: resolver },
    });
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it.each([
    ['AAAA', 'acme.test', '2001:db8::10'],
    ['MX', 'acme.test', '10 mx.acme.test'],
    ['TXT', 'acme.test', 'v=spf1 mx -all'],
    ['CNAME', 'www.acme.test', 'acme.test'],
    ['NS', 'acme.test', 'ns1.acme.test'],
    ['SRV', '_sip._udp.acme.test', '10 5 5060 pbx.acme.test'],
  ])('finds the expected %s answer for %s', async (type, name, expected) => {
    const result = await run({ name, type, expected });
    expect(result.status).toBe('up');
    expect(result.details?.answers).toContain(expected);
  });

  it('lists MX records by preference', async () => {
    const result = await run({ name: 'acme.test', type: 'MX' });
    expect(result.message).toBe('MX acme.test → 10 mx.acme.test, 20 backup-mx.acme.test');
  });

  it('compares without case or a trailing dot', async () => {
    expect((await run({ name: 'acme.test', type: 'MX', expected: '10 MX.acme.test.' })).status).toBe('up');
  });

  it('is down when the answer is not the expected one', async () => {
    const result = await run({ name: 'acme.test', type: 'A', expected: '192.0.2.99' });
    expect(result).toMatchObject({ status: 'down', message: 'A acme.test is 192.0.2.10, expected 192.0.2.99' });
  });

  it('is down on NXDOMAIN', async () => {
    const result = await run({ name: 'nope.acme.test' });
    expect(result).toMatchObject({
      status: 'down',
      message: `nope.acme.test does not exist (NXDOMAIN from ${resolver})`,
    });
  });

  it('is down when the name has no record of that type', async () => {
    const result = await run({ name: 'www.acme.test', type: 'MX' });
    expect(result).toMatchObject({ status: 'down', message: `www.acme.test has no MX record (${resolver})` });
  });

  it('is down on SERVFAIL', async () => {
    const result = await run({ name: 'broken.acme.test' });
    expect(result).toMatchObject({
      status: 'down',
      message: `DNS server ${resolver} failed to answer for broken.acme.test (SERVFAIL)`,
    });
  });

  it('is down, quickly, when the resolver does not answer', async () => {
    const started = Date.now();
    const result = await runCheck('dns', { server: silentResolver, name: 'acme.test' }, { timeoutMs: 600 });
    expect(result.status).toBe('down');
    expect(result.message).toMatch(/^(DNS server 127\.0\.0\.1:\d+ did not answer|timed out after 600 ms)$/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('asks a resolver at an IPv6 address and port', async () => {
    const result = await run({ server: resolverV6, name: 'acme.test', type: 'MX' });
    expect(result).toMatchObject({
      status: 'up',
      message: 'MX acme.test → 10 mx.acme.test, 20 backup-mx.acme.test',
      details: { server: resolverV6 },
    });
    const missing = await run({ server: resolverV6, name: 'nope.acme.test' });
    expect(missing).toMatchObject({
      status: 'down',
      message: `nope.acme.test does not exist (NXDOMAIN from ${resolverV6})`,
    });
  });

  it('refuses a resolver that is not an address', async () => {
    const result = await run({ server: 'dns.google', name: 'acme.test' });
    expect(result.message).toContain('server must be an IP address with an optional port');
  });
});
