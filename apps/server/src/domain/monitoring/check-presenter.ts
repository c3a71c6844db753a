import type { Check } from '@afterhours/shared';
import type { ChecksTable } from '../../db/schema.js';
import type { SecretBox } from '../../lib/secrets.js';
import { inSystemOf, type InSystemRow } from '../in-system.js';
import { presentCause } from './cause-names.js';
import { decryptSecrets, maskSecrets } from './secret-params.js';

export type CheckWithNames = ChecksTable & InSystemRow;

/** Secret fields by path, without their values: what the mask needs (decrypting only to learn the paths). */
function secretPaths(box: SecretBox, stored: string | null): Record<string, string> {
  try {
    return decryptSecrets(box, stored);
  } catch {
    return {};
  }
}

/** A check as the API shows it: secrets masked, booleans as booleans, the last result together. */
export function presentCheck(row: CheckWithNames, box: SecretBox, causeNames: ReadonlyMap<string, string>): Check {
  return {
    id: row.id,
    ...inSystemOf(row),
    name: row.name,
    kind: row.kind as Check['kind'],
    params: maskSecrets(JSON.parse(row.params_json) as Record<string, unknown>, secretPaths(box, row.secrets_enc)),
    probe: row.probe as Check['probe'],
    agentId: row.agent_id,
    intervalS: row.interval_s,
    timeoutMs: row.timeout_ms,
    failuresBeforeDown: row.failures_before_down,
    successesBeforeUp: row.successes_before_up,
    paused: row.paused === 1,
    state: row.state as Check['state'],
    stateSince: row.state_since,
    stateReason: row.state_reason,
    cause: presentCause(row, causeNames),
    lastResult: lastResultOf(row),
    nextRunAt: row.probe === 'hub' && row.paused === 0 ? row.next_run_at : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

type LastResultColumns = Pick<ChecksTable, 'last_run_at' | 'last_status' | 'last_latency_ms' | 'last_message'>;

/** The check's latest result as the API shows it, or null before its first run. */
export function lastResultOf(row: LastResultColumns): Check['lastResult'] {
  return row.last_run_at && row.last_status
    ? {
        at: row.last_run_at,
        status: row.last_status as NonNullable<Check['lastResult']>['status'],
        latencyMs: row.last_latency_ms,
        message: row.last_message ?? '',
      }
    : null;
}

/** What the audit log keeps of a check: everything but its secrets and its changing state. */
export function auditableCheck(row: ChecksTable): object {
  return {
    name: row.name,
    kind: row.kind,
    systemId: row.system_id,
    params: JSON.parse(row.params_json) as unknown,
    hasSecrets: row.secrets_enc !== null,
    probe: row.probe,
    agentId: row.agent_id,
    intervalS: row.interval_s,
    timeoutMs: row.timeout_ms,
    failuresBeforeDown: row.failures_before_down,
    successesBeforeUp: row.successes_before_up,
    paused: row.paused === 1,
  };
}
