import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, requireBinary, startPeer, tempDir, type Peer } from '../../../checks/src/testing/peers.js';
import { readingFromPowerNet, readingFromUpsMib, SnmpUpsReader } from './index.js';

// Net-SNMP's snmpd answering UPS-MIB and PowerNet OIDs through a `pass` script that reads a values file,
// so a test can move the UPS from on line to on battery.
let snmpd: Peer | undefined;
let port: number;
let values: string;
let cleanup: (() => Promise<void>) | undefined;

const UPS = '.1.3.6.1.2.1.33';
const APC = '.1.3.6.1.4.1.318';

function setValues(lines: string[]) {
  writeFileSync(values, `${lines.join('\n')}\n`);
}

beforeAll(async () => {
  const binary = requireBinary('/usr/sbin/snmpd', 'snmpd');
  const temp = await tempDir('snmpd-ups');
  cleanup = temp.remove;
  port = await freePort();
  const conf = path.join(temp.dir, 'conf');
  const persist = path.join(temp.dir, 'persist');
  mkdirSync(conf);
  mkdirSync(persist);
  values = path.join(temp.dir, 'values');
  const script = path.join(temp.dir, 'pass.sh');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      '[ "$1" = "-g" ] || exit 0',
      `line=$(grep "^$2 " ${values})`,
      '[ -n "$line" ] || exit 0',
      'set -- $line',
      'echo "$1"; echo "$2"; echo "$3"',
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  writeFileSync(
    path.join(conf, 'snmpd.conf'),
    [
      `agentAddress udp:127.0.0.1:${port}`,
      'rocommunity ups-ro 127.0.0.1',
      `pass ${UPS} /bin/sh ${script}`,
      `pass ${APC} /bin/sh ${script}`,
      '',
    ].join('\n'),
  );
  setValues([]);
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

const reader = (mib: 'ups-mib' | 'powernet') =>
  new SnmpUpsReader({ host: '127.0.0.1', port, auth: { version: 'v2c', community: 'ups-ro' }, mib }, 3000);

describe('UPS over SNMP against snmpd', () => {
  it('reads RFC 1628 UPS-MIB on line, then on battery with low battery', async () => {
    setValues([
      `${UPS}.1.4.1.0 integer 3`,
      `${UPS}.1.2.1.0 integer 2`,
      `${UPS}.1.2.3.0 integer 42`,
      `${UPS}.1.2.4.0 integer 100`,
      `${UPS}.1.4.4.1.5.1 integer 27`,
    ]);
    expect(await reader('ups-mib').read()).toMatchObject({
      state: 'ok',
      power: 'online',
      lowBattery: false,
      runtimeSeconds: 2520,
      chargePercent: 100,
      loadPercent: 27,
      flags: ['normal', 'batteryNormal'],
    });
    setValues([
      `${UPS}.1.4.1.0 integer 5`,
      `${UPS}.1.2.1.0 integer 3`,
      `${UPS}.1.2.3.0 integer 4`,
      `${UPS}.1.2.4.0 integer 12`,
    ]);
    const r = await reader('ups-mib').read();
    expect(r).toMatchObject({ power: 'on-battery', lowBattery: true, runtimeSeconds: 240, loadPercent: null });
    expect(r.message).toBe(`snmp 127.0.0.1:${port}: on battery, low battery, charge 12%, runtime 4 min`);
  });

  it('reads APC PowerNet (runtime in TimeTicks)', async () => {
    setValues([
      `${APC}.1.1.1.4.1.1.0 integer 3`,
      `${APC}.1.1.1.2.1.1.0 integer 2`,
      `${APC}.1.1.1.2.2.1.0 gauge 88`,
      `${APC}.1.1.1.2.2.3.0 timeticks 90000`,
      `${APC}.1.1.1.4.2.3.0 gauge 35`,
    ]);
    expect(await reader('powernet').read()).toMatchObject({
      state: 'ok',
      power: 'on-battery',
      chargePercent: 88,
      runtimeSeconds: 900,
      loadPercent: 35,
      flags: ['onBattery', 'batteryNormal'],
    });
  });

  it('says when the agent has no UPS values, or does not answer', async () => {
    setValues([]);
    expect(await reader('ups-mib').read()).toMatchObject({ state: 'error', power: 'unknown' });
    const silent = new SnmpUpsReader({ host: '127.0.0.1', port: await freePort(), mib: 'ups-mib' }, 800);
    expect(await silent.read()).toMatchObject({ state: 'unreachable' });
  });
});

describe('SNMP values to readings', () => {
  it.each([
    [{ outputSource: 4, batteryStatus: 2 }, 'online', false, ['bypass', 'batteryNormal']],
    [{ outputSource: 9, batteryStatus: 4 }, 'online', true, ['source(9)', 'batteryDepleted']],
    [{ outputSource: 2, batteryStatus: null }, 'unknown', false, ['none', 'battery?']],
  ])('UPS-MIB %j', (values, power, low, flags) => {
    expect(readingFromUpsMib('u', values)).toMatchObject({ power, lowBattery: low, flags });
  });
  it.each([
    [{ outputStatus: 15, batteryStatus: 3 }, 'on-battery', true],
    [{ outputStatus: 12, batteryStatus: 2 }, 'online', false],
    [{ outputStatus: 7, batteryStatus: 2 }, 'unknown', false],
  ])('PowerNet %j', (values, power, low) => {
    expect(readingFromPowerNet('u', values)).toMatchObject({ power, lowBattery: low });
  });
});
