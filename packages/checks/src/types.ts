import type { z } from 'zod';

/** Every kind of check this package can run. Adding a kind is adding a folder and a name here. */
export const checkKinds = ['http', 'tcp', 'ping', 'dns', 'tls', 'smtp', 'imap', 'sip', 'ssh', 'snmp'] as const;
export type CheckKind = (typeof checkKinds)[number];

export type CheckStatus = 'up' | 'degraded' | 'down';

export interface CheckResult {
  status: CheckStatus;
  /** Time the check took to get its answer, in milliseconds; null when there was no answer to time. */
  latencyMs: number | null;
  /** One line a technician understands: "connection refused on 127.0.0.1:2525". */
  message: string;
  details?: Record<string, unknown>;
}

export interface CheckContext {
  /** Aborted when the check times out or its caller gives up; checks must stop their I/O then. */
  signal: AbortSignal;
  /** The time budget given to the check; checks may use it for their own inner timeouts. */
  timeoutMs: number;
}

export interface CheckDefinition<Schema extends z.ZodType> {
  kind: CheckKind;
  label: string;
  params: Schema;
  run(params: z.output<Schema>, ctx: CheckContext): Promise<CheckResult>;
}

/** Typing helper: infers the params type from the schema. */
export function defineCheck<Schema extends z.ZodType>(definition: CheckDefinition<Schema>): CheckDefinition<Schema> {
  return definition;
}
