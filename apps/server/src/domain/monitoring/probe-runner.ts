import { checkKinds, runCheck, type CheckKind, type CheckResult, type RunCheckOptions } from '@afterhours/checks';
import type { AppContext } from '../../context.js';
import type { IncomingResult } from './ingest.js';
import { runnableParams } from './secret-params.js';

export type RunCheckFn = (kind: CheckKind, params: unknown, options: RunCheckOptions) => Promise<CheckResult>;

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

  constructor(
    private readonly ctx: AppContext,
    private readonly run: RunCheckFn = runCheck,
  ) {}

  isRunning(checkId: string): boolean {
    return this.inFlight.has(checkId);
  }

  get running(): number {
    return this.inFlight.size;
  }

  runOnce(target: ProbeTarget, signal?: AbortSignal): Promise<IncomingResult> {
    const existing = this.inFlight.get(target.id);
    if (existing) return existing;
    const promise = this.execute(target, signal).finally(() => this.inFlight.delete(target.id));
    this.inFlight.set(target.id, promise);
    return promise;
  }

  private async execute(target: ProbeTarget, signal?: AbortSignal): Promise<IncomingResult> {
    const at = this.ctx.clock.now().toISOString();
    let result: CheckResult;
    if (!(checkKinds as readonly string[]).includes(target.kind)) {
      result = { status: 'down', latencyMs: null, message: `unknown check kind "${target.kind}"` };
    } else {
      let params: unknown;
      try {
        params = runnableParams(this.ctx.secrets, target);
      } catch {
        result = { status: 'down', latencyMs: null, message: 'could not read the stored settings of this check (was the secret key changed?)' };
        return { checkId: target.id, at, status: result.status, latencyMs: result.latencyMs, message: result.message };
      }
      result = await this.run(target.kind as CheckKind, params, { timeoutMs: target.timeout_ms, ...(signal ? { signal } : {}) });
    }
    const latencyMs = result.latencyMs === null ? null : Math.round(result.latencyMs * 100) / 100;
    return { checkId: target.id, at, status: result.status, latencyMs, message: result.message };
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
