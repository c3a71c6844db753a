import type { CheckKind } from '../../api/types';
import { type FieldSpec, type Json, settingsFrom, shownFields, type Values, valuesFrom } from '../../lib/param-values';
import { snmpAuthFields } from '../../lib/snmp-auth-fields';

/**
 * The form fields of each kind of check, as data: one list per kind, typed by CheckKind so a new kind
 * fails to compile here. Keys are paths in the check's params ("auth.community"), the same paths the
 * hub names in its field errors ("params.auth.community"). Defaults follow packages/checks/README.md.
 */
export type { FieldSpec, Value, Values } from '../../lib/param-values';

const opts = (...values: string[]) => values.map((value) => ({ value, label: value }));
const host = (hint?: string): FieldSpec => ({
  key: 'host',
  label: 'Host',
  type: 'text',
  host: true,
  placeholder: '10.0.0.10 or mail.example.com',
  ...(hint ? { hint } : {}),
});
const port = (initial: string, hint?: string): FieldSpec => ({
  key: 'port',
  label: 'Port',
  type: 'number',
  initial,
  ...(hint ? { hint } : {}),
});
const warnDays = (when?: FieldSpec['when']): FieldSpec => ({
  key: 'certExpiryWarnDays',
  label: 'Certificate warning (days)',
  type: 'number',
  initial: '14',
  hint: 'Degraded when the certificate expires within this many days.',
  ...(when ? { when } : {}),
});
const selfSigned = (when?: FieldSpec['when']): FieldSpec => ({
  key: 'acceptSelfSigned',
  label: 'Accept self-signed certificates',
  type: 'checkbox',
  initial: false,
  ...(when ? { when } : {}),
});
const secure = (v: Values) => v['security'] !== 'plain';
const security: FieldSpec = {
  key: 'security',
  label: 'Security',
  type: 'select',
  initial: 'plain',
  options: [
    { value: 'plain', label: 'None (plain)' },
    { value: 'starttls', label: 'STARTTLS' },
    { value: 'tls', label: 'TLS from the start' },
  ],
};
const login = (what: string): FieldSpec[] => [
  { key: 'username', label: 'Username', type: 'text', hint: `Optional: when set, ${what} must succeed.`, pair: true },
  { key: 'password', label: 'Password', type: 'secret' },
];

export const CHECK_FIELDS: Record<CheckKind, readonly FieldSpec[]> = {
  http: [
    {
      key: 'url',
      label: 'URL',
      type: 'text',
      placeholder: 'https://www.example.com/',
      hint: 'The full address, http:// or https://.',
    },
    {
      key: 'method',
      label: 'Method',
      type: 'select',
      initial: 'GET',
      options: opts('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
      pair: true,
    },
    {
      key: 'expectedStatus',
      label: 'Expected status',
      type: 'text',
      initial: '200-399',
      hint: 'Codes or ranges, e.g. 200-299,401.',
    },
    { key: 'mustContain', label: 'Page must contain', type: 'text', hint: 'Optional text the page must contain.' },
    {
      key: 'mustNotContain',
      label: 'Page must not contain',
      type: 'text',
      placeholder: 'Error establishing a database connection',
    },
    { key: 'followRedirects', label: 'Follow redirects', type: 'checkbox', initial: true },
    warnDays(),
    selfSigned(),
  ],
  tcp: [host(), port('', 'The port that must accept a connection: 3389 for RDP, 443 for a VPN…')],
  ping: [
    host(),
    { key: 'count', label: 'Packets', type: 'number', initial: '3', pair: true },
    {
      key: 'maxLossPercent',
      label: 'Packet loss above (%)',
      type: 'number',
      initial: '0',
      hint: 'Degraded above this loss.',
    },
    {
      key: 'maxRttMs',
      label: 'Round trip above (ms)',
      type: 'number',
      initial: '500',
      hint: 'Degraded when the average is slower.',
    },
  ],
  dns: [
    { key: 'name', label: 'Name to look up', type: 'text', placeholder: 'acme.example' },
    {
      key: 'type',
      label: 'Record type',
      type: 'select',
      initial: 'A',
      options: opts('A', 'AAAA', 'MX', 'TXT', 'CNAME', 'NS', 'SRV'),
      pair: true,
    },
    {
      key: 'server',
      label: 'Resolver',
      type: 'text',
      placeholder: 'the probe’s own',
      hint: 'IP address, optionally with a port: 192.0.2.53:5353.',
    },
    {
      key: 'expected',
      label: 'Expected answer',
      type: 'text',
      hint: 'Optional: one of the answers must be this, e.g. 10 mail.acme.example for MX.',
    },
  ],
  tls: [
    host(),
    port('443'),
    {
      key: 'servername',
      label: 'Server name',
      type: 'text',
      hint: 'The name on the certificate, when the host is an IP address.',
    },
    { key: 'warnDays', label: 'Certificate warning (days)', type: 'number', initial: '14' },
    selfSigned(),
  ],
  smtp: [
    host(),
    { ...security, pair: true },
    port('', '25, 587 for submission, 465 for TLS; empty for the usual one.'),
    ...login('AUTH'),
    warnDays(secure),
    selfSigned(secure),
  ],
  imap: [
    host(),
    { ...security, pair: true },
    port('', '143, or 993 for TLS; empty for the usual one.'),
    ...login('LOGIN'),
    warnDays(secure),
    selfSigned(secure),
  ],
  sip: [
    host(),
    {
      key: 'transport',
      label: 'Transport',
      type: 'select',
      initial: 'udp',
      options: [
        { value: 'udp', label: 'UDP' },
        { value: 'tcp', label: 'TCP' },
      ],
      pair: true,
    },
    port('5060'),
    { key: 'expectedStatus', label: 'Accepted response codes', type: 'text', initial: '200-299' },
    {
      key: 'authResponsesCountAsUp',
      label: 'Count 401, 403, 404, 407 as up (it answered, it wants a login)',
      type: 'checkbox',
      initial: false,
    },
  ],
  ssh: [
    host(),
    port('22'),
    { key: 'bannerContains', label: 'Banner must contain', type: 'text', placeholder: 'OpenSSH' },
  ],
  snmp: [
    host(),
    port('161'),
    ...snmpAuthFields(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'], ['aes', 'aes256b', 'aes256r', 'des']),
    {
      key: 'oid',
      label: 'OID',
      type: 'text',
      initial: '1.3.6.1.2.1.1.1.0',
      hint: 'Numeric, e.g. 1.3.6.1.2.1.1.3.0 for sysUpTime.0.',
    },
    { key: 'expected', label: 'Expected value', type: 'text', hint: 'Optional: the value must be exactly this.' },
    { key: 'degradedAbove', label: 'Degraded above', type: 'number', pair: true },
    { key: 'downAbove', label: 'Down above', type: 'number' },
    { key: 'degradedBelow', label: 'Degraded below', type: 'number', pair: true },
    { key: 'downBelow', label: 'Down below', type: 'number' },
  ],
};

// ---- Values in and out (the generic part is lib/param-values) ---------------------------------

/** The form's starting values: the check's params when editing, else the kind's defaults and the system's host. */
export function initialValues(kind: CheckKind, params: Json | undefined, systemHost: string | null): Values {
  if (params) return valuesFrom(CHECK_FIELDS[kind], params);
  const values = valuesFrom(CHECK_FIELDS[kind], undefined);
  for (const f of CHECK_FIELDS[kind]) {
    if (f.host && systemHost) values[f.key] = systemHost;
    else if (kind === 'http' && f.key === 'url' && systemHost) values[f.key] = `https://${systemHost}/`;
  }
  return values;
}

export const visibleFields = (kind: CheckKind, values: Values) => shownFields(CHECK_FIELDS[kind], values);

/**
 * The params to send: `base` (so settings the form has no field for, such as HTTP headers, are kept)
 * with every field of the kind replaced by its value, or left out when empty or hidden.
 */
export const paramsFrom = (kind: CheckKind, values: Values, base: Json = {}): Json =>
  settingsFrom(CHECK_FIELDS[kind], values, base);

/** A name for a check left unnamed: "TCP 10.0.0.5:3389", "HTTP www.example.com". */
export function suggestedName(kind: CheckKind, values: Values, short: string): string {
  const url = String(values['url'] ?? '');
  let target = String(values['host'] ?? values['name'] ?? '');
  if (url) {
    try {
      target = new URL(url).host;
    } catch {
      target = url;
    }
  }
  const port = values['port'] ? `:${String(values['port'])}` : '';
  return `${short} ${target}${kind === 'http' ? '' : port}`.trim();
}
