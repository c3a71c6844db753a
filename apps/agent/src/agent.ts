import { hostname } from 'node:os';
import { join } from 'node:path';
import { runCheck, type CheckKind, type CheckResult } from '@afterhours/checks';
import type { AgentResult, AssignedCheck } from '@afterhours/shared';
import { AssignmentStore } from './assignments.js';
import { Batcher } from './batcher.js';
import type { Identity } from './identity.js';
import { HubLink } from './link.js';
import type { Logger } from './log.js';
import { Outbox } from './outbox.js';
import { PowerController } from './power/controller.js';
import { PowerStore } from './power/store.js';
import { Scheduler } from './scheduler.js';
import { AGENT_VERSION } from './version.js';

export interface AgentOptions {
  identity: Identity;
  dataDir: string;
  log: Logger;
  concurrency: number;
  buffer: { maxBytes: number; maxAgeMs: number };
  /** How results are produced; runCheck from @afterhours/checks unless a test or benchmark says otherwise. */
  runner?: (check: AssignedCheck, signal: AbortSignal) => Promise<CheckResult>;
}

export interface RunningAgent {
  /** Resolves with the exit code the process should end with. */
  done: Promise<number>;
  stop(): Promise<void>;
}

const MESSAGE_MAX = 1000;

const defaultRunner = (check: AssignedCheck, signal: AbortSignal) =>
  runCheck(check.kind as CheckKind, check.params, { timeoutMs: check.timeoutMs, signal });

/** The agent: scheduler → batches on disk → link to the hub, and back again for assignments. */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { identity, log } = options;
  const startedAt = Date.now();
  const outbox = await Outbox.open({ dir: join(options.dataDir, 'outbox'), ...options.buffer, now: Date.now, log });
  const assignments = AssignmentStore.open(options.dataDir, log);
  let link: HubLink | undefined;
  const power = new PowerController({
    store: await PowerStore.open(options.dataDir, log),
    log,
    send: (message) => link?.sendFeature('power', message) ?? false,
  });
  power.start();

  const batcher = new Batcher({
    maxResults: 100,
    maxDelayMs: 1000,
    flush: async (results) => {
      const seq = await outbox.append(results);
      log.debug({ seq, results: results.length }, 'batch written');
      link?.batchWritten();
    },
    onError: (error) => log.error({ err: error }, 'could not write results to disk; they are lost'),
  });

  const scheduler = new Scheduler({
    now: Date.now,
    concurrency: options.concurrency,
    run: options.runner ?? defaultRunner,
    onResult: (check, at, result) => {
      const entry: AgentResult = {
        checkId: check.id,
        at: new Date(at).toISOString(),
        status: result.status,
        latencyMs: result.latencyMs,
        message: result.message.slice(0, MESSAGE_MAX),
      };
      // One line per run (debug): the record of what ran, to compare with what the hub stored.
      log.debug({ event: 'check_ran', checkId: entry.checkId, at: entry.at, status: entry.status }, 'check ran');
      batcher.add(entry);
    },
    onSkip: (check) =>
      log.warn(
        { checkId: check.id, intervalS: check.intervalS },
        'a check was still running when its next turn came; skipped that turn',
      ),
  });

  // Run the checks saved from the last assignment at once: the hub may be out of reach for a long time.
  const saved = await assignments.load();
  if (saved) {
    scheduler.assign(saved.checks);
    log.info(
      { checks: saved.checks.length, assignedAt: saved.savedAt },
      'running the checks saved from the last assignment until the hub sends its current set',
    );
  }

  let finish: (code: number) => void = () => {};
  let refused = false;
  const done = new Promise<number>((resolve) => (finish = resolve));

  link = new HubLink({
    identity,
    outbox,
    log,
    hello: () => ({
      version: AGENT_VERSION,
      hostname: hostname().slice(0, 255),
      uptimeS: Math.floor((Date.now() - startedAt) / 1000),
    }),
    onAssign: (checks) => {
      scheduler.assign(checks);
      void assignments.save(checks, new Date());
    },
    onRunNow: (checkId) => {
      if (!scheduler.runNow(checkId)) log.info({ checkId }, 'run now: the check is unknown here or already running');
    },
    onWelcome: (features) => {
      if (features.includes('power')) power.linkUp();
    },
    onPower: (message) => {
      if (message.type === 'power-config') power.configure(message);
      else if (message.type === 'power-command') power.command(message.command, message.by, message.systemId);
      else power.acknowledge(message.seq);
    },
    onRefused: (reason) => {
      log.fatal(
        { reason },
        'the hub refused this agent’s token (revoked or rotated); enrol it again with --enrol <code>',
      );
      refused = true;
      void stop();
    },
  });
  link.start();
  log.info(
    { hub: identity.hub, agentId: identity.agentId, version: AGENT_VERSION, backlog: outbox.backlog },
    'the agent is running',
  );

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      await scheduler.stop();
      await power.stop();
      await batcher.drain();
      await link?.stop();
      // Refused: its checks are no longer its own, and a later start must not run them.
      await (refused ? assignments.forget() : assignments.flush());
      log.info({ backlog: outbox.backlog }, 'the agent stopped');
      finish(refused ? 78 : 0);
    })();
    return stopping;
  }
  return { done, stop };
}
