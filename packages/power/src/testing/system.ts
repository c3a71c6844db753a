/**
 * A pretend server for power tests: a process listening on a loopback TCP port (its "check port"),
 * with its pid in a file so that the SSH recording script can stop it. start() brings it back (as
 * Wake-on-LAN or a BMC power-on would). Not part of the build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, tcpAnswers } from '../../../checks/src/testing/peers.js';

export interface TestSystem {
  port: number;
  pidFile: string;
  up(): Promise<boolean>;
  start(): Promise<void>;
  kill(): void;
}

export async function startTestSystem(dir: string, name: string): Promise<TestSystem> {
  const port = await freePort();
  const pidFile = path.join(dir, `${name}.pid`);
  let child: ChildProcess | null = null;
  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    child = spawn(
      process.execPath,
      ['-e', `require('net').createServer((s) => s.end()).listen(${port}, '127.0.0.1')`],
      {
        stdio: 'ignore',
      },
    );
    writeFileSync(pidFile, String(child.pid));
    for (let i = 0; i < 100 && !(await tcpAnswers(port)); i++) await new Promise((r) => setTimeout(r, 50));
  };
  await start();
  return {
    port,
    pidFile,
    up: () => tcpAnswers(port),
    start,
    kill: () => child?.kill('SIGKILL'),
  };
}
