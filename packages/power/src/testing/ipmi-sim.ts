/**
 * OpenIPMI's ipmi_sim as a BMC on a loopback high port, for tests: chassis power is a file a small
 * script reads and writes (soft = the OS shuts down, so power goes off). Not part of the build.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, requireBinary, startPeer, tempDir } from '../../../checks/src/testing/peers.js';

export interface TestBmc {
  port: number;
  username: string;
  password: string;
  power: () => 'on' | 'off';
  /** Lines the chassis script was called with: "set power 1", "set shutdown 1", "get power". */
  calls: () => string[];
  stop(): Promise<void>;
}

export async function startIpmiSim(): Promise<TestBmc> {
  const binary = requireBinary('/usr/bin/ipmi_sim', 'openipmi');
  requireBinary('/usr/bin/ipmitool', 'ipmitool');
  const temp = await tempDir('ipmi-sim');
  const port = await freePort();
  const power = path.join(temp.dir, 'power');
  const log = path.join(temp.dir, 'chassis.log');
  writeFileSync(power, '1\n');
  const script = path.join(temp.dir, 'chassis.sh');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `echo "$*" >> ${log}`,
      'op=$1; shift',
      'if [ "$op" = get ]; then',
      `  for p in "$@"; do case $p in power) echo "power:$(cat ${power})";; boot) echo "boot:none";; esac; done`,
      'elif [ "$op" = set ]; then',
      `  while [ $# -gt 0 ]; do case $1 in power) echo $2 > ${power};; shutdown) [ "$2" = 1 ] && echo 0 > ${power};; esac; shift 2; done`,
      'fi',
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  const conf = path.join(temp.dir, 'lan.conf');
  writeFileSync(
    conf,
    [
      'name "afterhours"',
      'set_working_mc 0x20',
      '  startlan 1',
      `    addr 127.0.0.1 ${port}`,
      '    priv_limit admin',
      ...['callback', 'user', 'operator', 'admin'].map((p) => `    allowed_auths_${p} none md2 md5 straight`),
      '    guid a123456789abcdefa123456789abcdef',
      '  endlan',
      `  chassis_control "${script}"`,
      '  user 2 true  "admin" "bmc-pass" admin 10 none md2 md5 straight',
      '',
    ].join('\n'),
  );
  const emu = path.join(temp.dir, 'sim.emu');
  writeFileSync(
    emu,
    [
      'mc_setbmc 0x20',
      'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr',
      'sel_enable 0x20 1000 0x0a',
      'mc_enable 0x20',
      '',
    ].join('\n'),
  );
  const peer = await startPeer(
    'ipmi_sim',
    binary,
    ['-c', conf, '-f', emu, '-n', '-s', path.join(temp.dir, 'state')],
    async () => {
      await new Promise((r) => setTimeout(r, 300));
      return true;
    },
  );
  return {
    port,
    username: 'admin',
    password: 'bmc-pass',
    power: () => (readFileSync(power, 'utf8').trim() === '1' ? 'on' : 'off'),
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
    stop: async () => {
      await peer.stop();
      await temp.remove();
    },
  };
}
