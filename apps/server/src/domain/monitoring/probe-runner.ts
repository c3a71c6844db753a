import { checkKinds, prepareCheck, type CheckKind, type CheckResult, type PreparedCheck } from '@afterhours/checks';
import type { AppContext } from '../../context.js';
import type { IncomingResult } from './ingest.js';
import { runnableParams } from './secret-params.js';

export type PrepareCheckFn = (kind: CheckKind, params: unknown) => PreparedCheck;

/** A check's settings as last prepared: reused while its stored settings (plain and secret) are the same. */
interface Prepared {
  kind: string;
  paramsJson: string;
  secretsEnc: string | null;
  run: PreparedCheck;
}

/** More prepared checks than this (deleted checks' entries pile up) and the cache starts again. */
const MAX_PREPARED = 100_000;

export interface ProbeTarget {
  id: string;
  kind: string;
  params_json: string;
  secrets_enc: string | null;
  timeout_ms: number;
}

/**
 * Runs hub checks through the shared check code, at most one run of a check at a time in this process:
 * asking for a check that is already running joins that run. Used by the scheduler and by "run now".
 */
export class ProbeRunner {
  private readonly inFlight = new Map<string, Promise<IncomingResult>>();
  private readonly prepared = new Map<string, Prepared>();

  constructor(
    private readonly ctx: AppContext,
    private readonly prepare: PrepareCheckFn = prepareCheck,
  ) {}

  isRunning(checkId: string): boolean {
    return this.inFlight.has(checkId);
  }

  get running(): number {
    return this.inFlight.size;
  }

  runOnce(target: ProbeTarget, signal?: AbortSignal): Promise<IncomingResult> {
    const existing = this.inFlight.get(target.id);
    if (existing !== undefined) return existing;
    const promise = this.execute(target, signal).finally(() => this.inFlight.delete(target.id));
    this.inFlight.set(target.id, promise);
    return promise;
  }

  private async execute(target: ProbeTarget, signal?: AbortSignal): Promise<IncomingResult> {
    const at = this.ctx.clock.now().toISOString();
    const run = this.preparedRun(target);
    const result: CheckResult =
      typeof run === 'function' ? await run({ timeoutMs: target.timeout_ms, ...(signal ? { signal } : {}) }) : run;
    const latencyMs = result.latencyMs === null ? null : Math.round(result.latencyMs * 100) / 100;
    return { checkId: target.id, at, status: result.status, latencyMs, message: result.message };
  }

  /**
   * The check's settings parsed, secrets joined and validated once, not on every run (that was a JSON
   * parse, a structured clone and a zod parse per run). A changed setting or secret prepares it again.
   */
  private preparedRun(target: ProbeTarget): PreparedCheck | CheckResult {
    const cached = this.prepared.get(target.id);
    if (
      cached &&
      cached.kind === target.kind &&
      cached.paramsJson === target.params_json &&
      cached.secretsEnc === target.secrets_enc
    )
      return cached.run;
    if (!(checkKinds as readonly string[]).includes(target.kind)) {
      return { status: 'down', latencyMs: null, message: `unknown check kind "${target.kind}"` };
    }
    let params: unknown;
    try {
      params = runnableParams(this.ctx.secrets, target);
    } catch {
      return {
        status: 'down',
        latencyMs: null,
        message: 'could not read the stored settings of this check (was the secret key changed?)',
      };
    }
    const run = this.prepare(target.kind as CheckKind, params);
    if (this.prepared.size >= MAX_PREPARED) this.prepared.clear();
    this.prepared.set(target.id, {
      kind: target.kind,
      paramsJson: target.params_json,
      secretsEnc: target.secrets_enc,
      run,
    });
    return run;
  }
}

const runners = new WeakMap<AppContext, ProbeRunner>();

/** The one runner of a hub process (its context), shared by the scheduler and "run now". */
export function probeRunnerOf(ctx: AppContext): ProbeRunner {
  let runner = runners.get(ctx);
  if (!runner) {
    runner = new ProbeRunner(ctx);
    runners.set(ctx, runner);
  }
  return runner;
}
