import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startAgent } from './agent.js';
import { enrol, EnrolError } from './enrol.js';
import { loadIdentity, saveIdentity } from './identity.js';
import { createLogger } from './log.js';
import { DEFAULT_BUFFER } from './outbox.js';
import { AGENT_VERSION } from './version.js';

// For embedding the agent (the hub's tests run a real agent in-process).
export { startAgent, type AgentOptions, type RunningAgent } from './agent.js';
export { enrol } from './enrol.js';

const USAGE = `Usage: afterhours-agent [--hub URL --enrol CODE] [--data-dir DIR] [options]

The Afterhours site agent. The first run enrols with the one-time code from the hub's web app and
keeps this agent's identity and token in DIR/agent.json; later runs just connect.

  --hub URL               the hub, e.g. https://desk.example.com (needed with --enrol)
  --enrol CODE            one-time enrolment code (replaces an earlier enrolment)
  --enrol-only            enrol, save the identity and exit (the install script's first step)
  --data-dir DIR          where to keep agent.json and the result buffer
                          (env AFTERHOURS_AGENT_DATA_DIR, default ~/.afterhours-agent)
  --concurrency N         checks run at once, at most (default 32)
  --buffer-mb N           result buffer size while the hub is unreachable (default 50)
  --buffer-days N         oldest results the buffer keeps (default 7)
  --log-level LEVEL       pino level: fatal, error, warn, info, debug (env LOG_LEVEL, default info)
  --version, --help
`;

export interface CliOptions {
  hub?: string | undefined;
  enrolCode?: string | undefined;
  enrolOnly: boolean;
  dataDir: string;
  concurrency: number;
  bufferMaxBytes: number;
  bufferMaxAgeMs: number;
  logLevel: string;
}

export class UsageError extends Error {}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number (got "${value}")`);
  return n;
}

/** Pure: the command line and environment, read into options (or a UsageError saying what is wrong). */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' | 'version' {
  const options = {
    hub: { type: 'string' },
    enrol: { type: 'string' },
    'enrol-only': { type: 'boolean' },
    'data-dir': { type: 'string' },
    concurrency: { type: 'string' },
    'buffer-mb': { type: 'string' },
    'buffer-days': { type: 'string' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  } as const;
  let values: ReturnType<typeof parseArgs<{ options: typeof options; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  if (values.version) return 'version';
  if (values['enrol-only'] && !values.enrol) throw new UsageError('--enrol-only needs --enrol CODE and --hub URL');
  if (values.enrol && !values.hub)
    throw new UsageError('--enrol needs --hub, the address of the hub that gave the code');
  if (values.hub) {
    let url: URL;
    try {
      url = new URL(values.hub);
    } catch {
      throw new UsageError(`--hub must be a URL such as https://desk.example.com (got "${values.hub}")`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new UsageError('--hub must start with https:// (or http:// on a trusted network)');
  }
  return {
    hub: values.hub,
    enrolCode: values.enrol,
    enrolOnly: values['enrol-only'] ?? false,
    dataDir: resolve(values['data-dir'] ?? env.AFTERHOURS_AGENT_DATA_DIR ?? join(homedir(), '.afterhours-agent')),
    concurrency: Math.floor(positive('concurrency', values.concurrency, 32)),
    bufferMaxBytes: positive('buffer-mb', values['buffer-mb'], DEFAULT_BUFFER.maxBytes / 1024 / 1024) * 1024 * 1024,
    bufferMaxAgeMs: positive('buffer-days', values['buffer-days'], DEFAULT_BUFFER.maxAgeMs / 86_400_000) * 86_400_000,
    logLevel: values['log-level'] ?? env.LOG_LEVEL ?? 'info',
  };
}

/** The command: returns the exit code (78, "configuration error", when the hub refuses the token). */
export async function main(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseCli>;
  try {
    options = parseCli(argv, process.env);
  } catch (error) {
    process.stderr.write(`afterhours-agent: ${(error as Error).message}\n\n${USAGE}`);
    return 64;
  }
  if (options === 'help') return (void process.stdout.write(USAGE), 0);
  if (options === 'version') return (void process.stdout.write(`${AGENT_VERSION}\n`), 0);

  const log = createLogger(options.logLevel);
  let identity = await loadIdentity(options.dataDir).catch((error: Error) => {
    log.fatal(error.message);
    return null;
  });
  if (identity === null) return 78;
  if (options.enrolCode && options.hub) {
    try {
      identity = await enrol(options.hub, options.enrolCode);
    } catch (error) {
      if (!(error instanceof EnrolError)) throw error;
      log.fatal(error.message);
      return 78;
    }
    await saveIdentity(options.dataDir, identity);
    log.info({ agentId: identity.agentId, siteId: identity.siteId, dataDir: options.dataDir }, 'enrolled with the hub');
    if (options.enrolOnly) return 0;
  }
  if (!identity) {
    log.fatal(
      { dataDir: options.dataDir },
      'this agent is not enrolled yet: run it once with --hub <hub URL> --enrol <code from the web app>',
    );
    return 78;
  }
  if (options.hub && !options.enrolCode && options.hub.replace(/\/+$/, '') !== identity.hub) {
    log.warn(
      { enrolledWith: identity.hub },
      '--hub differs from the hub this agent enrolled with; using the enrolled one (enrol again to move it)',
    );
  }

  const agent = await startAgent({
    identity,
    dataDir: options.dataDir,
    log,
    concurrency: options.concurrency,
    buffer: { maxBytes: options.bufferMaxBytes, maxAgeMs: options.bufferMaxAgeMs },
  });
  const onSignal = (signal: string) => {
    log.info({ signal }, 'stopping');
    void agent.stop();
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  return agent.done;
}
