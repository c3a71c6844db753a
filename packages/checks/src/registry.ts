import type { z } from 'zod';
import type { CheckDefinition, CheckKind, CheckResult } from './types.js';
import { describeNetError } from './lib/net.js';
import { http } from './http/index.js';
import { tcp } from './tcp/index.js';
import { ping } from './ping/index.js';
import { dns } from './dns/index.js';
import { tls } from './tls/index.js';
import { smtp } from './smtp/index.js';
import { imap } from './imap/index.js';
import { sip } from './sip/index.js';
import { ssh } from './ssh/index.js';
import { snmp } from './snmp/index.js';

/** Every check type. A kind in CheckKind without an entry here fails to compile. */
export const checks = { http, tcp, ping, dns, tls, smtp, imap, sip, ssh, snmp } satisfies Record<
  CheckKind,
  CheckDefinition<any>
>;

export type CheckParams<K extends CheckKind> = z.output<(typeof checks)[K]['params']>;
export type CheckParamsInput<K extends CheckKind> = z.input<(typeof checks)[K]['params']>;

export class InvalidCheckParamsError extends Error {
  constructor(
    readonly kind: CheckKind,
    readonly fields: Record<string, string>,
  ) {
    super(
      `invalid ${kind} check settings: ${Object.entries(fields)
        .map(([f, m]) => `${f} ${m}`)
        .join('; ')}`,
    );
    this.name = 'InvalidCheckParamsError';
  }
}

function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.length ? issue.path.join('.') : '(settings)';
    fields[path] ??= issue.message;
  }
  return fields;
}

/** Validates and fills in defaults; throws InvalidCheckParamsError naming each bad field. For saving a check. */
export function parseCheckParams<K extends CheckKind>(kind: K, raw: unknown): CheckParams<K> {
  const parsed = (checks[kind].params as z.ZodType).safeParse(raw);
  if (!parsed.success) throw new InvalidCheckParamsError(kind, fieldErrors(parsed.error));
  return parsed.data as CheckParams<K>;
}

export interface RunCheckOptions {
  timeoutMs: number;
  /** Aborting it cancels the check (the result then says so). */
  signal?: AbortSignal;
}

function outcome(signal: AbortSignal, timeoutMs: number, timedOut: boolean): CheckResult {
  if (timedOut)
    return { status: 'down', latencyMs: null, message: `timed out after ${timeoutMs} ms`, details: { timedOut: true } };
  const reason = signal.reason instanceof Error ? signal.reason.message : 'cancelled';
  return { status: 'down', latencyMs: null, message: `check cancelled (${reason})`, details: { cancelled: true } };
}

/** A check whose settings were validated once, ready to run many times (see `prepareCheck`). */
export type PreparedCheck = (options: RunCheckOptions) => Promise<CheckResult>;

/**
 * Validates a check's settings once and returns a function that runs it. Bad settings or an unknown kind
 * give a function that answers "down" with the reason, so callers (the probe, which caches the prepared
 * check while its settings do not change) never parse the same settings twice.
 */
export function prepareCheck(kind: CheckKind, rawParams: unknown): PreparedCheck {
  const definition = checks[kind] as CheckDefinition<z.ZodType> | undefined;
  if (!definition) return failed({ status: 'down', latencyMs: null, message: `unknown check kind "${String(kind)}"` });
  const parsed = definition.params.safeParse(rawParams);
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error);
    return failed({
      status: 'down',
      latencyMs: null,
      message: new InvalidCheckParamsError(kind, fields).message,
      details: { invalidParams: fields },
    });
  }
  const params: unknown = parsed.data;
  const host = (params as { host?: unknown }).host;
  const label = typeof host === 'string' ? host : kind;
  return (options) => runParsed(kind, definition, params, label, options);
}

function failed(result: CheckResult): PreparedCheck {
  return () => Promise.resolve(result);
}

/**
 * Runs one check. Never throws: bad settings, network failures, a hung peer and a crash
 * inside the check all come back as a "down" result that says what happened.
 */
export function runCheck(kind: CheckKind, rawParams: unknown, options: RunCheckOptions): Promise<CheckResult> {
  return prepareCheck(kind, rawParams)(options);
}

/**
 * Runs a parsed check with its timeout and the caller's signal: one settle path for the three ways a run
 * ends (the check answers, the timeout fires, the caller aborts), without the extra promises, race and
 * listeners of an `await Promise.race` — this runs for every check the probe makes.
 */
function runParsed(
  kind: CheckKind,
  definition: CheckDefinition<z.ZodType>,
  params: unknown,
  label: string,
  options: RunCheckOptions,
): Promise<CheckResult> {
  const { timeoutMs } = options;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    return Promise.resolve({
      status: 'down',
      latencyMs: null,
      message: `invalid timeout for the ${kind} check: ${timeoutMs} ms`,
    });
  }
  return new Promise<CheckResult>((resolve) => {
    const controller = new AbortController();
    const outer = options.signal;
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (result: CheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
      resolve(result);
    };
    // Only a check cut short is aborted (that closes its sockets). A check that finished has closed its
    // own: aborting it anyway cost ~9 % of the probe's CPU (an Error with a stack per check, and the
    // teardown of finished HTTP streams).
    const cutShort = (reason: unknown, timedOut: boolean) => {
      if (settled) return;
      controller.abort(reason);
      settle(outcome(controller.signal, timeoutMs, timedOut));
    };
    function onOuterAbort() {
      cutShort(outer?.reason, false);
    }
    if (outer?.aborted) return onOuterAbort();
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    timer = setTimeout(() => cutShort(new Error(`timed out after ${timeoutMs} ms`), true), timeoutMs);
    let ran: Promise<CheckResult>;
    try {
      ran = definition.run(params, { signal: controller.signal, timeoutMs });
    } catch (err) {
      ran = Promise.reject(err);
    }
    ran.then(settle, (err: unknown) =>
      settle({ status: 'down', latencyMs: null, message: describeNetError(err, label) }),
    );
  });
}
