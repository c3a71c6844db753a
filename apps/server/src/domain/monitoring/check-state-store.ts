import type { MachineState, Suppression, Transition, ComputedState, CheckState } from '@afterhours/shared';
import {
  CHECK_LAST_COLUMNS,
  CHECK_STATE_WRITE_COLUMNS,
  type CheckLastWrite,
  type CheckStateRow,
  type CheckStateWrite,
  type CheckWrite,
  type CheckWriteColumn,
} from '../../db/dialects/result-store.js';
import type { StateChangesTable } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { reasonKind } from './reason-kind.js';
import { appendToSparkline } from './sparkline.js';

export type { CheckStateRow };

/** One check being worked on: its stored row, the machine state, and what changed. */
export interface WorkingCheck {
  row: CheckStateRow;
  machine: MachineState;
  cause: { type: string; id: string } | null;
  stateChangeId: string | null;
  last: { at: string; status: string; latencyMs: number | null; message: string } | null;
  /** The sparkline's text (sparkline.ts) with the fresh results' latencies; set once one arrives. */
  latencies: string | null;
  dirty: boolean;
  transitioned: boolean;
}

export function toWorking(row: CheckStateRow): WorkingCheck {
  return {
    row,
    machine: {
      state: row.state as CheckState,
      computed: row.computed_state as ComputedState,
      since: row.state_since,
      reason: row.state_reason,
      consecutiveFailures: row.consecutive_failures,
      consecutiveSuccesses: row.consecutive_successes,
    },
    cause: row.cause_type && row.cause_id ? { type: row.cause_type, id: row.cause_id } : null,
    stateChangeId: row.state_change_id,
    last: null,
    latencies: null,
    dirty: false,
    transitioned: false,
  };
}

/** A state_changes row the ingest writes: not handled by the alerting worker yet, and no heartbeat's. */
export type StateChangeDraft = Omit<StateChangesTable, 'processed_at' | 'heartbeat_id'> & { processed_at: null };

/** Records a transition of a working check: the row to insert, and the check's new cause. */
export function recordTransition(
  check: WorkingCheck,
  t: Transition,
  recordedAt: string,
  source: string,
): StateChangeDraft {
  const s: Suppression | null = t.suppression;
  const draft: StateChangeDraft = {
    id: newId(),
    at: t.at,
    recorded_at: recordedAt,
    client_id: check.row.client_id,
    site_id: check.row.site_id,
    system_id: check.row.system_id,
    check_id: check.row.id,
    agent_id: check.row.agent_id,
    subject_type: 'check',
    from_state: t.from,
    to_state: t.to,
    reason: t.reason,
    cause_type: s?.causeType ?? null,
    cause_id: s?.causeId ?? null,
    root_cause_id: s?.rootCauseId ?? null,
    source,
    processed_at: null,
  };
  check.stateChangeId = draft.id;
  check.cause = s ? { type: s.causeType, id: s.causeId } : null;
  check.transitioned = true;
  check.dirty = true;
  return draft;
}

/**
 * What the screens show as a check's reason: while unknown, why (and because of what); while down or
 * degraded, the kind of its last result's message — without its measurements, which may change with every
 * result (a slow ping's round-trip time). Nothing while up or paused: no screen shows a reason then.
 */
function shownReason(state: string, reason: string, cause: WorkingCheck['cause'], message: string | null) {
  if (state === 'unknown') return `${reason}|${cause?.type ?? ''}|${cause?.id ?? ''}`;
  if (state === 'down' || state === 'degraded') return reasonKind(message ?? reason);
  return null;
}

/** Whether a check's screens need telling: its state changed, or the kind of reason they show did. */
export function changedOnScreen(c: WorkingCheck): boolean {
  if (c.transitioned) return true;
  const { row } = c;
  const loadedCause = row.cause_type && row.cause_id ? { type: row.cause_type, id: row.cause_id } : null;
  const before = shownReason(row.state, row.state_reason, loadedCause, row.last_message);
  return before !== shownReason(c.machine.state, c.machine.reason, c.cause, c.last?.message ?? row.last_message);
}

/**
 * The row to write back for a check that changed: its state, and its last result when it got one; `columns`
 * names the ones whose values differ from what was loaded (and `updated_at`), the ones SQLite writes.
 */
export function checkWrite(c: WorkingCheck, now: string): CheckWrite {
  const state: CheckStateWrite = {
    state: c.machine.state,
    computed_state: c.machine.computed,
    state_since: c.machine.since,
    state_reason: c.machine.reason,
    state_change_id: c.stateChangeId,
    cause_type: c.cause?.type ?? null,
    cause_id: c.cause?.id ?? null,
    consecutive_failures: c.machine.consecutiveFailures,
    consecutive_successes: c.machine.consecutiveSuccesses,
    updated_at: now,
  };
  const last: CheckLastWrite | null = c.last
    ? {
        last_run_at: c.last.at,
        last_status: c.last.status,
        last_latency_ms: c.last.latencyMs,
        last_message: c.last.message,
        recent_latencies: c.latencies,
      }
    : null;
  const loaded = c.row as unknown as Record<string, unknown>;
  const columns: CheckWriteColumn[] = [];
  for (const name of CHECK_STATE_WRITE_COLUMNS) if (state[name] !== loaded[name]) columns.push(name);
  if (last) for (const name of CHECK_LAST_COLUMNS) if (last[name] !== loaded[name]) columns.push(name);
  return { id: c.row.id, state, last, columns };
}

/** The rows to write back for the checks that changed. */
export function checkWrites(checks: Iterable<WorkingCheck>, now: string): CheckWrite[] {
  const out: CheckWrite[] = [];
  for (const c of checks) if (c.dirty) out.push(checkWrite(c, now));
  return out;
}

/** Adds a fresh result's latency (null for a failure) to the check's sparkline. */
export function pushLatency(check: WorkingCheck, latencyMs: number | null, failed: boolean): void {
  check.latencies = appendToSparkline(check.latencies ?? check.row.recent_latencies, failed ? null : latencyMs);
}
