import { Resolver } from 'node:dns/promises';
import net from 'node:net';
import { z } from 'zod';
import { defineCheck } from '../types.js';
import { elapsedSince } from '../lib/net.js';

const RECORD_TYPES = ['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'NS', 'SRV'] as const;
type RecordType = (typeof RECORD_TYPES)[number];

/** "192.0.2.53", "192.0.2.53:5353", "2001:db8::53", "[2001:db8::53]:5353". */
function isServer(value: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(value);
  if (bracketed) return net.isIPv6(bracketed[1]!) && (bracketed[2] === undefined || Number(bracketed[2]) <= 65535);
  if (net.isIP(value)) return true;
  const withPort = /^([\d.]+):(\d{1,5})$/.exec(value);
  return withPort !== null && net.isIPv4(withPort[1]!) && Number(withPort[2]) <= 65535;
}

export const dnsParams = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, { error: 'is required: the name to look up, such as example.com' })
    .max(253, { error: 'is too long for a DNS name' })
    .regex(/^[A-Za-z0-9_.-]+\.?$/, { error: 'must be a DNS name such as example.com or _sip._tcp.example.com' }),
  type: z.enum(RECORD_TYPES, { error: `must be one of ${RECORD_TYPES.join(', ')}` }).default('A'),
  /** Resolver to ask, as an IP address with an optional port; the probe's own resolvers when left out. */
  server: z
    .string()
    .trim()
    .refine(isServer, { error: 'must be an IP address with an optional port, such as 192.0.2.53 or 192.0.2.53:5353' })
    .optional(),
  /** One of the answers must be this, written as shown in the result (MX: "10 mail.example.com"). */
  expected: z.string().trim().min(1, { error: 'must not be empty; leave it out to accept any answer' }).optional(),
});

function normalize(value: string): string {
  return value.toLowerCase().replace(/\.$/, '').replace(/\s+/g, ' ');
}

async function lookup(resolver: Resolver, type: RecordType, name: string): Promise<string[]> {
  switch (type) {
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return resolver.resolve6(name);
    case 'MX':
      return (await resolver.resolveMx(name))
        .sort((a, b) => a.priority - b.priority)
        .map((r) => `${r.priority} ${r.exchange}`);
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
    case 'CNAME':
      return resolver.resolveCname(name);
    case 'NS':
      return resolver.resolveNs(name);
    case 'SRV':
      return (await resolver.resolveSrv(name)).map((r) => `${r.priority} ${r.weight} ${r.port} ${r.name}`);
  }
}

function describeDnsError(err: unknown, type: RecordType, name: string, server: string): string {
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'ENOTFOUND':
      return `${name} does not exist (NXDOMAIN from ${server})`;
    case 'ENODATA':
      return `${name} has no ${type} record (${server})`;
    case 'ETIMEOUT':
      return `DNS server ${server} did not answer`;
    case 'ECONNREFUSED':
      return `DNS server ${server} refused the connection`;
    case 'ESERVFAIL':
      return `DNS server ${server} failed to answer for ${name} (SERVFAIL)`;
    case 'EREFUSED':
      return `DNS server ${server} refused to answer for ${name} (REFUSED)`;
    case 'ECANCELLED':
      return `lookup of ${name} cancelled`;
    default:
      return `${type} lookup of ${name} at ${server} failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export const dns = defineCheck({
  kind: 'dns',
  label: 'DNS record',
  params: dnsParams,
  async run({ name, type, server, expected }, { signal, timeoutMs }) {
    const resolver = new Resolver({ timeout: Math.max(100, Math.floor(timeoutMs / 2)), tries: 2 });
    if (server) resolver.setServers([server]);
    const serverText = server ?? resolver.getServers().join(', ');
    const onAbort = () => resolver.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    const start = process.hrtime.bigint();
    try {
      const answers = await lookup(resolver, type, name);
      const latencyMs = elapsedSince(start);
      const details = { answers, server: serverText };
      const shown =
        answers.length > 3 ? `${answers.slice(0, 3).join(', ')} and ${answers.length - 3} more` : answers.join(', ');
      if (expected !== undefined && !answers.some((a) => normalize(a) === normalize(expected))) {
        return { status: 'down', latencyMs, message: `${type} ${name} is ${shown}, expected ${expected}`, details };
      }
      return { status: 'up', latencyMs, message: `${type} ${name} → ${shown}`, details };
    } catch (err) {
      return { status: 'down', latencyMs: null, message: describeDnsError(err, type, name, serverText) };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  },
});
