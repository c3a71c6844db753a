import { lookup } from 'node:dns/promises';
import snmpLib, { type Session, type Varbind } from 'net-snmp';
import { z } from 'zod';
import { defineCheck, type CheckResult, type CheckStatus } from '../types.js';
import { Host, Port } from '../lib/params.js';
import { describeNetError, elapsedSince, where } from '../lib/net.js';
import { installDes } from './des.js';

installDes();

const AUTH = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
const PRIV = ['des', 'aes', 'aes256b', 'aes256r'] as const;
const Secret = z.string().min(8, { error: 'must be at least 8 characters (an SNMPv3 rule)' });

const v2c = z.strictObject({
  version: z.literal('v2c'),
  community: z.string().min(1, { error: 'must not be empty' }).default('public'),
});
const v3 = z.strictObject({
  version: z.literal('v3'),
  user: z.string().min(1, { error: 'is required for SNMPv3' }),
  /** Leave out for noAuthNoPriv. */
  authProtocol: z.enum(AUTH, { error: `must be one of ${AUTH.join(', ')}` }).optional(),
  authKey: Secret.optional(),
  /** Needs authProtocol too (authPriv). */
  privProtocol: z.enum(PRIV, { error: `must be one of ${PRIV.join(', ')}` }).optional(),
  privKey: Secret.optional(),
});
/** SNMP credentials (v2c community or v3 user), shared with the UPS readers of packages/power. */
export const snmpAuth = z
  .discriminatedUnion('version', [v2c, v3], { error: 'must say version v2c (with community) or v3 (with user)' })
  .default({ version: 'v2c', community: 'public' });
export type SnmpAuth = z.output<typeof snmpAuth>;
const Threshold = z.number({ error: 'must be a number' }).optional();

export const snmpParams = z
  .strictObject({
    host: Host,
    port: Port.default(161),
    /** Default: sysDescr.0. Numeric form only. */
    oid: z
      .string()
      .trim()
      .regex(/^\.?\d+(\.\d+)+$/, { error: 'must be a numeric OID such as 1.3.6.1.2.1.1.3.0' })
      .default('1.3.6.1.2.1.1.1.0'),
    auth: snmpAuth,
    /** The value, as text, must be exactly this. */
    expected: z.string().optional(),
    /** Numeric thresholds on the value (e.g. a UPS load or a disk use in percent). */
    degradedAbove: Threshold,
    downAbove: Threshold,
    degradedBelow: Threshold,
    downBelow: Threshold,
  })
  .superRefine((p, ctx) => {
    if (p.auth.version !== 'v3') return;
    const { authProtocol, authKey, privProtocol, privKey } = p.auth;
    const need = (ok: boolean, field: string, message: string) =>
      ok || ctx.addIssue({ code: 'custom', path: ['auth', field], message });
    need(!authProtocol || !!authKey, 'authKey', 'is required with authProtocol');
    need(!privProtocol || !!privKey, 'privKey', 'is required with privProtocol');
    need(
      !privProtocol || !!authProtocol,
      'authProtocol',
      'is required when privProtocol is set (SNMPv3 has no privacy without authentication)',
    );
  });
type SnmpParams = z.output<typeof snmpParams>;

/** An SNMP session to one agent; the caller closes it. */
export function openSnmpSession(
  p: { port: number; auth: SnmpAuth },
  address: string,
  family: number,
  timeoutMs: number,
): Session {
  const options = {
    port: p.port,
    retries: 1,
    timeout: Math.max(200, Math.floor(timeoutMs / 2.5)),
    transport: family === 6 ? 'udp6' : 'udp4',
  } as const;
  if (p.auth.version === 'v2c')
    return snmpLib.createSession(address, p.auth.community, { ...options, version: snmpLib.Version2c });
  const { user, authProtocol, authKey, privProtocol, privKey } = p.auth;
  const level = privProtocol ? 'authPriv' : authProtocol ? 'authNoPriv' : 'noAuthNoPriv';
  return snmpLib.createV3Session(
    address,
    {
      name: user,
      level: snmpLib.SecurityLevel[level],
      ...(authProtocol ? { authProtocol: snmpLib.AuthProtocols[authProtocol], authKey } : {}),
      ...(privProtocol ? { privProtocol: snmpLib.PrivProtocols[privProtocol], privKey } : {}),
    },
    { ...options, version: snmpLib.Version3 },
  );
}

/** Turns a varbind into text and, where it is a number, a number. */
export function readValue(varbind: Varbind): { text: string; number: number | null; type: string } {
  const type = snmpLib.ObjectType[varbind.type] ?? String(varbind.type);
  const { value } = varbind;
  if (typeof value === 'number') return { text: String(value), number: value, type };
  if (Buffer.isBuffer(value)) {
    if (type === 'Counter64') {
      const n = value.length ? BigInt(`0x${value.toString('hex')}`) : 0n;
      return { text: n.toString(), number: Number(n), type };
    }
    const printable = /^[\t\r\n\x20-\x7e]*$/.test(value.toString('latin1'));
    const text = printable ? value.toString('utf8') : value.toString('hex');
    const n = printable && text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : null;
    return { text, number: n, type };
  }
  return { text: String(value), number: null, type };
}

function judge(p: SnmpParams, varbind: Varbind, latencyMs: number): CheckResult {
  const { text, number, type } = readValue(varbind);
  const shown = text.length > 120 ? `${text.slice(0, 117)}...` : text;
  const details = { oid: varbind.oid, type, value: text };
  const rules: [CheckStatus, boolean, string][] = [];
  if (p.expected !== undefined)
    rules.push(['down', text !== p.expected, `${p.oid} is "${shown}", expected "${p.expected}"`]);
  const thresholds = [p.downAbove, p.downBelow, p.degradedAbove, p.degradedBelow].some((t) => t !== undefined);
  if (thresholds && number === null)
    rules.push(['down', true, `${p.oid} is "${shown}", not a number to compare with the thresholds`]);
  if (number !== null) {
    const n = number;
    if (p.downAbove !== undefined) rules.push(['down', n > p.downAbove, `${p.oid} is ${n}, above ${p.downAbove}`]);
    if (p.downBelow !== undefined) rules.push(['down', n < p.downBelow, `${p.oid} is ${n}, below ${p.downBelow}`]);
    if (p.degradedAbove !== undefined)
      rules.push(['degraded', n > p.degradedAbove, `${p.oid} is ${n}, above ${p.degradedAbove}`]);
    if (p.degradedBelow !== undefined)
      rules.push(['degraded', n < p.degradedBelow, `${p.oid} is ${n}, below ${p.degradedBelow}`]);
  }
  const broken = rules.find(([, failed]) => failed);
  if (broken) return { status: broken[0], latencyMs, message: broken[2], details };
  return { status: 'up', latencyMs, message: `${p.oid} = ${shown}`, details };
}

function describeSnmpError(err: Error, p: SnmpParams): string {
  const at = `udp ${where(p.host, p.port)}`;
  if (/timed out/i.test(err.message)) {
    return `no SNMP answer from ${at} (agent down, wrong ${p.auth.version === 'v2c' ? 'community' : 'user or keys'}, or a firewall)`;
  }
  if (/unknown user|unknown engine|wrong digest|authentication|decrypt|usmStats/i.test(err.message)) {
    return `SNMPv3 login refused by ${at}: ${err.message}`;
  }
  return `SNMP request to ${at} failed: ${err.message}`;
}

export const snmp = defineCheck({
  kind: 'snmp',
  label: 'SNMP value',
  params: snmpParams,
  async run(p, { signal, timeoutMs }) {
    let session: Session | undefined;
    const close = () => {
      try {
        session?.close();
      } catch {
        // already closed
      }
      session = undefined;
    };
    signal.addEventListener('abort', close, { once: true });
    try {
      const { address, family } = await lookup(p.host);
      const open = openSnmpSession(p, address, family, timeoutMs);
      session = open;
      open.on('error', () => undefined); // socket errors also fail the pending request
      const start = process.hrtime.bigint();
      const varbind = await new Promise<Varbind>((resolve, reject) => {
        open.get([p.oid.replace(/^\./, '')], (error, varbinds) => (error ? reject(error) : resolve(varbinds[0]!)));
      });
      const latencyMs = elapsedSince(start);
      if (snmpLib.isVarbindError(varbind)) {
        return {
          status: 'down',
          latencyMs,
          message: `${p.oid}: ${snmpLib.varbindError(varbind)} on ${where(p.host, p.port)}`,
          details: { oid: p.oid },
        };
      }
      return judge(p, varbind, latencyMs);
    } catch (err) {
      // Node's socket and DNS errors carry string codes such as ECONNREFUSED; net-snmp's own errors do not.
      const systemError = typeof (err as { code?: unknown }).code === 'string';
      const message =
        err instanceof Error && !systemError ? describeSnmpError(err, p) : describeNetError(err, p.host, p.port);
      return { status: 'down', latencyMs: null, message };
    } finally {
      signal.removeEventListener('abort', close);
      close();
    }
  },
});
