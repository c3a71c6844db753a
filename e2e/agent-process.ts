import { spawn, type ChildProcess } from 'node:child_process';

const BIN = new URL('../apps/agent/bin/afterhours-agent.js', import.meta.url).pathname;

export interface AgentLogLine {
  level: number;
  msg: string;
  event?: string;
  checkId?: string;
  at?: string;
  status?: string;
  [key: string]: unknown;
}

export interface RunningAgent {
  lines: AgentLogLine[];
  output(): string;
  /** The agent's own record of its runs ("check ran", logged at debug level). */
  runs(): { checkId: string; at: string; status: string }[];
  exitCode(): number | null;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Start the BUILT agent (`npm run build` first) as a real process, logging at debug level; `command`
 * runs another build of it (an installed executable).
 */
export function startAgent(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  command = [process.execPath, BIN],
): RunningAgent {
  const [file, ...before] = command as [string, ...string[]];
  const child: ChildProcess = spawn(file, [...before, ...args], {
    env: { ...process.env, LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let partial = '';
  const lines: AgentLogLine[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk;
    partial += chunk;
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as AgentLogLine);
      } catch {
        /* not a log line */
      }
    }
  });
  child.stderr?.on('data', (chunk) => (text += chunk));
  return {
    lines,
    output: () => text,
    runs: () =>
      lines.filter((l) => l.event === 'check_ran').map((l) => ({ checkId: l.checkId!, at: l.at!, status: l.status! })),
    exitCode: () => child.exitCode,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        // 'close', not 'exit': the log lines still in the pipe have been read by then.
        child.once('close', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
        child.kill(signal);
      }),
  };
}

type Falsy = undefined | null | false;

/** Poll until `probe` returns a truthy value; fail with `what` and the last value after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | Falsy> | T | Falsy,
  timeoutMs = 30_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | Falsy;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
