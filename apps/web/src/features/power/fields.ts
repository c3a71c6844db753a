import type { FieldSpec } from '../../lib/param-values';
import { snmpAuthFields } from '../../lib/snmp-auth-fields';

/** The settings of a UPS and of each kind of power action, as form fields (packages/power's schemas). */

export type UpsKind = 'nut' | 'snmp';
export type ActionKind = 'ssh' | 'ipmi' | 'redfish' | 'wol' | 'manual';

const host = (placeholder = '10.0.0.10'): FieldSpec => ({ key: 'host', label: 'Host', type: 'text', placeholder });
const port = (initial: string): FieldSpec => ({ key: 'port', label: 'Port', type: 'number', initial });

export const UPS_KIND_LABELS: Record<UpsKind, string> = {
  nut: 'NUT (upsd)',
  snmp: 'SNMP network card',
};

export const UPS_FIELDS: Record<UpsKind, readonly FieldSpec[]> = {
  nut: [
    { ...host('10.0.0.2 (where upsd runs)'), pair: true },
    port('3493'),
    {
      key: 'ups',
      label: 'UPS name in upsd',
      type: 'text',
      placeholder: 'office',
      hint: 'As in ups.conf: upsc -l lists them.',
    },
    { key: 'username', label: 'User', type: 'text', pair: true, hint: 'Optional: from upsd.users.' },
    { key: 'password', label: 'Password', type: 'secret' },
    {
      key: 'tls',
      label: 'Encryption (STARTTLS)',
      type: 'select',
      initial: 'when-offered',
      options: [
        { value: 'when-offered', label: 'When upsd offers it' },
        { value: 'required', label: 'Required' },
        { value: 'off', label: 'Off' },
      ],
    },
  ],
  snmp: [
    { ...host('10.0.0.3 (the UPS network card)'), pair: true },
    port('161'),
    {
      key: 'mib',
      label: 'MIB',
      type: 'select',
      initial: 'ups-mib',
      options: [
        { value: 'ups-mib', label: 'UPS-MIB (RFC 1628, most cards)' },
        { value: 'powernet', label: 'APC PowerNet' },
      ],
    },
    ...snmpAuthFields(['md5', 'sha', 'sha256', 'sha512']),
  ],
};

export const ACTION_LABELS: Record<ActionKind, string> = {
  ssh: 'SSH command',
  ipmi: 'IPMI (BMC)',
  redfish: 'Redfish (BMC)',
  wol: 'Wake-on-LAN',
  manual: 'A person does it',
};

/** Which kinds can do what: SSH cannot power a machine on, Wake-on-LAN cannot shut one down. */
export const SHUTDOWN_KINDS: readonly ActionKind[] = ['ssh', 'ipmi', 'redfish', 'manual'];
export const STARTUP_KINDS: readonly ActionKind[] = ['wol', 'ipmi', 'redfish', 'manual'];

export const ACTION_FIELDS: Record<ActionKind, readonly FieldSpec[]> = {
  ssh: [
    { ...host('10.0.0.5'), pair: true },
    port('22'),
    { key: 'username', label: 'User', type: 'text', placeholder: 'admin' },
    { key: 'password', label: 'Password', type: 'secret', hint: 'A password or a private key.' },
    {
      key: 'privateKey',
      label: 'Private key',
      type: 'secret-text',
      placeholder: '-----BEGIN OPENSSH PRIVATE KEY-----',
    },
    {
      key: 'command',
      label: 'Shutdown command',
      type: 'text',
      initial: 'sudo shutdown -h now',
      hint: 'Windows (OpenSSH): shutdown /s /t 0',
    },
  ],
  ipmi: [
    { ...host('10.0.0.9 (the BMC)'), pair: true },
    port('623'),
    { key: 'username', label: 'User', type: 'text', pair: true, placeholder: 'ADMIN' },
    { key: 'password', label: 'Password', type: 'secret' },
    {
      key: 'shutdown',
      label: 'Shut down by',
      type: 'select',
      initial: 'soft',
      options: [
        { value: 'soft', label: 'Power button (clean OS shutdown)' },
        { value: 'off', label: 'Cutting power at once' },
      ],
    },
  ],
  redfish: [
    { key: 'url', label: 'BMC address', type: 'text', placeholder: 'https://10.0.0.20' },
    { key: 'username', label: 'User', type: 'text', pair: true },
    { key: 'password', label: 'Password', type: 'secret' },
    {
      key: 'shutdown',
      label: 'Shut down by',
      type: 'select',
      initial: 'GracefulShutdown',
      options: [
        { value: 'GracefulShutdown', label: 'Graceful shutdown (the OS)' },
        { value: 'ForceOff', label: 'Force off' },
      ],
    },
    { key: 'systemId', label: 'System id', type: 'text', hint: 'Empty: the first system the BMC lists.' },
    { key: 'insecureTls', label: 'Trust its self-signed certificate', type: 'checkbox', initial: false },
  ],
  wol: [
    { key: 'mac', label: 'MAC address', type: 'text', placeholder: '00:11:22:33:44:55' },
    { key: 'broadcast', label: 'Broadcast address', type: 'text', initial: '255.255.255.255', pair: true },
    { key: 'port', label: 'UDP port', type: 'number', initial: '9' },
  ],
  manual: [
    {
      key: 'instructions',
      label: 'What the person does',
      type: 'text',
      placeholder: 'Switch the old fax server off at the wall',
    },
  ],
};
