import type { FieldSpec, Values } from './param-values';

const v3 = (v: Values) => v['auth.version'] === 'v3';
const opts = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

/**
 * The SNMP version and credentials (v2c community, or a v3 user with its protocols and keys), as the SNMP
 * check and an SNMP UPS both ask for them; each passes the protocols its own client supports.
 */
export function snmpAuthFields(authProtocols: readonly string[], privProtocols: readonly string[] = []): FieldSpec[] {
  const fields: FieldSpec[] = [
    {
      key: 'auth.version',
      label: 'SNMP version',
      type: 'select',
      initial: 'v2c',
      options: [
        { value: 'v2c', label: 'v2c (community)' },
        { value: 'v3', label: 'v3 (user)' },
      ],
      pair: true,
    },
    { key: 'auth.community', label: 'Community', type: 'secret', initial: 'public', when: (v) => !v3(v) },
    { key: 'auth.user', label: 'User', type: 'text', when: v3 },
    {
      key: 'auth.authProtocol',
      label: 'Auth protocol',
      type: 'select',
      initial: '',
      options: [{ value: '', label: 'None' }, ...opts(authProtocols)],
      when: v3,
      pair: true,
    },
    { key: 'auth.authKey', label: 'Auth key', type: 'secret', when: (v) => v3(v) && v['auth.authProtocol'] !== '' },
  ];
  if (privProtocols.length === 0) return fields;
  return [
    ...fields,
    {
      key: 'auth.privProtocol',
      label: 'Privacy protocol',
      type: 'select',
      initial: '',
      options: [{ value: '', label: 'None' }, ...opts(privProtocols)],
      when: (v) => v3(v) && v['auth.authProtocol'] !== '',
      pair: true,
    },
    {
      key: 'auth.privKey',
      label: 'Privacy key',
      type: 'secret',
      when: (v) => v3(v) && v['auth.authProtocol'] !== '' && v['auth.privProtocol'] !== '',
    },
  ];
}
