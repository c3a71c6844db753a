/**
 * OpenSSH's sshd on a loopback high port standing in for one server of a site, for tests. Root logs in
 * with a key; whatever command the client sends runs a recording script (ForceCommand) that notes the
 * command and the time, and stops the system's check port by killing the process in `checkPidFile`.
 * Not part of the build.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fingerprint } from '../actions/ssh/index.js';
import { freePort, requireBinary, startPeer, tcpAnswers, tempDir } from '../../../checks/src/testing/peers.js';

export interface TestSshd {
  port: number;
  privateKey: string;
  hostKey: string;
  /** Lines "epoch-ms<TAB>command" in the order received. */
  recorded(): { at: number; command: string }[];
  stop(): Promise<void>;
}

export async function startSshd({ checkPidFile }: { checkPidFile?: string } = {}): Promise<TestSshd> {
  const binary = requireBinary('/usr/sbin/sshd', 'openssh-server');
  const keygen = requireBinary('/usr/bin/ssh-keygen', 'openssh-client');
  const temp = await tempDir('power-sshd');
  const port = await freePort();
  const hostKey = path.join(temp.dir, 'host_ed25519');
  const clientKey = path.join(temp.dir, 'client_ed25519');
  execFileSync(keygen, ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  execFileSync(keygen, ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  const authorized = path.join(temp.dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(`${clientKey}.pub`));
  const record = path.join(temp.dir, 'record.log');
  const script = path.join(temp.dir, 'fake-shutdown');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `printf '%s\\t%s\\n' "$(date +%s%3N)" "$SSH_ORIGINAL_COMMAND" >> ${record}`,
      ...(checkPidFile ? [`[ -f ${checkPidFile} ] && kill "$(cat ${checkPidFile})" 2>/dev/null`] : []),
      'echo "system is going down"',
      'exit 0',
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  const config = path.join(temp.dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${path.join(temp.dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'UseDNS no',
      'StrictModes no',
      `ForceCommand ${script}`,
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true });
  const peer = await startPeer('sshd', binary, ['-D', '-e', '-f', config], () => tcpAnswers(port));
  const pub = readFileSync(`${hostKey}.pub`, 'utf8').split(' ')[1] ?? '';
  return {
    port,
    privateKey: readFileSync(clientKey, 'utf8'),
    hostKey: fingerprint(Buffer.from(pub, 'base64')),
    recorded: () =>
      existsSync(record)
        ? readFileSync(record, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((line) => {
              const [at = '0', command = ''] = line.split('\t');
              return { at: Number(at), command };
            })
        : [],
    stop: async () => {
      await peer.stop();
      await temp.remove();
    },
  };
}
