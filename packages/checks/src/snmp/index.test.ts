import { createCipheriv } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckParams, runCheck } from '../registry.js';
import { freePort, requireBinary, startPeer, tempDir, type Peer } from '../testing/peers.js';

// Net-SNMP's snmpd on a high loopback port with a v2c community and three v3 users (SHA/AES, SHA, MD5/DES).
let snmpd: Peer | undefined;
let port: number;
let cleanup: (() => Promise<void>) | undefined;

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';

beforeAll(async () => {
  const binary = requireBinary('/usr/sbin/snmpd', 'snmpd');
  const temp = await tempDir('snmpd');
  cleanup = temp.remove;
  port = await freePort();
  // snmpd writes its own state to <persistent dir>/snmpd.conf, so our config lives elsewhere.
  const conf = path.join(temp.dir, 'conf');
  const persist = path.join(temp.dir, 'persist');
  mkdirSync(conf);
  mkdirSync(persist);
  writeFileSync(
    path.join(conf, 'snmpd.conf'),
    [
      `agentAddress udp:127.0.0.1:${port},udp6:[::1]:${port}`,
      'rocommunity afterhours-ro 127.0.0.1',
      'rocommunity6 afterhours-ro ::1',
      'createUser checker SHA "auth-secret-1" AES "priv-secret-1"',
      'rouser checker priv',
      'createUser signer SHA "auth-secret-2"',
      'rouser signer auth',
      'createUser elder MD5 "auth-secret-3" DES "priv-secret-3"',
      'rouser elder priv',
      'sysDescr Afterhours test agent',
      '',
    ].join('\n'),
  );
  snmpd = await startPeer(
    'snmpd',
    binary,
    ['-f', '-Lo', '-C', '-c', path.join(conf, 'snmpd.conf'), '-p', path.join(temp.dir, 'snmpd.pid')],
    (output) => output.includes('NET-SNMP version'),
    { env: { SNMP_PERSISTENT_DIR: persist, MIBS: '' } },
  );
});

afterAll(async () => {
  await snmpd?.stop();
  await cleanup?.();
});

const v2c = { version: 'v2c', community: 'afterhours-ro' };
const run = (params: Record<string, unknown>, timeoutMs = 3000) =>
  runCheck('snmp', { host: '127.0.0.1', port, ...params }, { timeoutMs });

describe('snmp check against snmpd, v2c', () => {
  it('reads sysDescr.0 by default', async () => {
    const result = await run({ auth: v2c });
    expect(result).toMatchObject({
      status: 'up',
      message: `${SYS_DESCR} = Afterhours test agent`,
      details: { type: 'OctetString' },
    });
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('compares with an expected value', async () => {
    expect((await run({ auth: v2c, expected: 'Afterhours test agent' })).status).toBe('up');
    const result = await run({ auth: v2c, expected: 'APC Smart-UPS' });
    expect(result).toMatchObject({
      status: 'down',
      message: `${SYS_DESCR} is "Afterhours test agent", expected "APC Smart-UPS"`,
    });
  });

  it('reads sysUpTime.0 as a number and applies thresholds', async () => {
    const up = await run({ auth: v2c, oid: SYS_UPTIME, downBelow: 0 });
    expect(up.status).toBe('up');
    expect(up.details).toMatchObject({ type: 'TimeTicks' });
    const degraded = await run({ auth: v2c, oid: SYS_UPTIME, degradedBelow: 1e9 });
    expect(degraded.status).toBe('degraded');
    expect(degraded.message).toMatch(/^1\.3\.6\.1\.2\.1\.1\.3\.0 is \d+, below 1000000000$/);
    const down = await run({ auth: v2c, oid: SYS_UPTIME, degradedAbove: -2, downAbove: -1 });
    expect(down.status).toBe('down');
    expect(down.message).toMatch(/, above -1$/);
  });

  it('is down when a text value meets numeric thresholds', async () => {
    const result = await run({ auth: v2c, downAbove: 90 });
    expect(result).toMatchObject({
      status: 'down',
      message: `${SYS_DESCR} is "Afterhours test agent", not a number to compare with the thresholds`,
    });
  });

  it('is down when the OID does not exist', async () => {
    const result = await run({ auth: v2c, oid: '1.3.6.1.2.1.1.99.0' });
    expect(result.status).toBe('down');
    expect(result.message).toMatch(/^1\.3\.6\.1\.2\.1\.1\.99\.0: NoSuch(Object|Instance)/);
  });

  it('reads over IPv6', async () => {
    expect(await run({ auth: v2c, host: '::1' })).toMatchObject({
      status: 'up',
      message: `${SYS_DESCR} = Afterhours test agent`,
    });
  });

  it('says what may be wrong when the community is wrong (snmpd stays silent)', async () => {
    const result = await run({ auth: { version: 'v2c', community: 'wrong' } }, 1500);
    expect(result).toMatchObject({
      status: 'down',
      message: `no SNMP answer from udp 127.0.0.1:${port} (agent down, wrong community, or a firewall)`,
    });
  });
});

describe('snmp check against snmpd, v3', () => {
  it('reads sysDescr.0 with authPriv (SHA/AES)', async () => {
    const auth = {
      version: 'v3',
      user: 'checker',
      authProtocol: 'sha',
      authKey: 'auth-secret-1',
      privProtocol: 'aes',
      privKey: 'priv-secret-1',
    };
    expect(await run({ auth })).toMatchObject({ status: 'up', message: `${SYS_DESCR} = Afterhours test agent` });
  });

  // Older devices (UPS cards, printers) only offer MD5/DES. Debian's snmpd still speaks DES; Node's OpenSSL 3
  // keeps des-cbc in its legacy provider, so the check encrypts with triple DES under one key (see des.ts).
  it('reads sysDescr.0 with authPriv (MD5/DES) on a Node.js without OpenSSL’s des-cbc', async () => {
    expect(() => createCipheriv('des-cbc', Buffer.alloc(8), Buffer.alloc(8))).toThrow(/unsupported/);
    const auth = {
      version: 'v3',
      user: 'elder',
      authProtocol: 'md5',
      authKey: 'auth-secret-3',
      privProtocol: 'des',
      privKey: 'priv-secret-3',
    };
    expect(await run({ auth })).toMatchObject({ status: 'up', message: `${SYS_DESCR} = Afterhours test agent` });
    const uptime = await run({ auth, oid: SYS_UPTIME });
    expect(uptime.message).toMatch(/^1\.3\.6\.1\.2\.1\.1\.3\.0 = \d+$/);
  });

  it('is down with a wrong DES key (snmpd cannot decrypt the request)', async () => {
    const auth = {
      version: 'v3',
      user: 'elder',
      authProtocol: 'md5',
      authKey: 'auth-secret-3',
      privProtocol: 'des',
      privKey: 'not-the-priv-key',
    };
    const result = await run({ auth }, 1500);
    expect(result).toMatchObject({
      status: 'down',
      message: `no SNMP answer from udp 127.0.0.1:${port} (agent down, wrong user or keys, or a firewall)`,
    });
  });

  it('reads sysDescr.0 with authPriv over IPv6', async () => {
    const auth = {
      version: 'v3',
      user: 'checker',
      authProtocol: 'sha',
      authKey: 'auth-secret-1',
      privProtocol: 'aes',
      privKey: 'priv-secret-1',
    };
    expect(await run({ auth, host: '::1' })).toMatchObject({
      status: 'up',
      message: `${SYS_DESCR} = Afterhours test agent`,
    });
  });

  it('reads sysUpTime.0 with authNoPriv', async () => {
    const auth = { version: 'v3', user: 'signer', authProtocol: 'sha', authKey: 'auth-secret-2' };
    const result = await run({ auth, oid: SYS_UPTIME });
    expect(result.status).toBe('up');
    expect(result.message).toMatch(/^1\.3\.6\.1\.2\.1\.1\.3\.0 = \d+$/);
  });

  it('is down with a wrong key', async () => {
    const auth = { version: 'v3', user: 'signer', authProtocol: 'sha', authKey: 'not-the-key' };
    const result = await run({ auth }, 1500);
    expect(result.status).toBe('down');
    expect(result.message).toBe(
      `SNMPv3 login refused by udp 127.0.0.1:${port}: Wrong Digest (incorrect password, community or key)`,
    );
    const v6 = await run({ auth, host: '::1' }, 1500);
    expect(v6.message).toBe(
      `SNMPv3 login refused by udp [::1]:${port}: Wrong Digest (incorrect password, community or key)`,
    );
  });

  it('is down for an unknown user', async () => {
    const auth = { version: 'v3', user: 'nobody', authProtocol: 'sha', authKey: 'auth-secret-1' };
    const result = await run({ auth }, 1500);
    expect(result.status).toBe('down');
    expect(result.message).toMatch(/^SNMPv3 login refused by udp 127\.0\.0\.1:\d+: Unknown User/);
  });

  it('refuses privacy without authentication', () => {
    expect(() =>
      parseCheckParams('snmp', {
        host: 'ups1',
        auth: { version: 'v3', user: 'u', privProtocol: 'aes', privKey: '12345678' },
      }),
    ).toThrow(/auth\.authProtocol is required when privProtocol is set/);
  });
});
