import type { MachineState, Suppression, Transition, ComputedState, CheckState } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import { newId } from '../../lib/ids.js';

/** The columns of a check that the state machine reads and writes, as loaded for one transaction. */
export interface CheckStateRow {
  id: string;
  client_id: string;
  site_id: string;
  system_id: string;
  probe: string;
  agent_id: string | null;
  failures_before_down: number;
  successes_before_up: number;
  paused: number;
  state: string;
  computed_state: string;
  state_since: string;
  state_reason: string;
  state_change_id: string | null;
  cause_type: string | null;
  cause_id: string | null;
  consecutive_failures: number;
  consecutive_successes: number;
  last_run_at: string | null;
  recent_latencies: string;
}

/** One check being worked on: its stored row, the machine state, and what changed. */
export interface WorkingCheck {
  row: CheckStateRow;
  machine: MachineState;
  cause: { type: string; id: string } | null;
  stateChangeId: string | null;
  last: { at: string; status: string; latencyMs: number | null; message: string } | null;
  /** The last latencies, oldest first; set once a fresh result arrives. */
  latencies: Array<number | null> | null;
  dirty: boolean;
  transitioned: boolean;
}

const COLUMNS = [
  'id', 'client_id', 'site_id', 'system_id', 'probe', 'agent_id', 'failures_before_down', 'successes_before_up', 'paused',
  'state', 'computed_state', 'state_since', 'state_reason', 'state_change_id', 'cause_type', 'cause_id',
  'consecutive_failures', 'consecutive_successes', 'last_run_at', 'recent_latencies',
] as const;

export const SPARKLINE_POINTS = 30;

const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Loads checks by id (or by system) in a stable order; on PostgreSQL their rows stay locked until commit. */
export async function loadChecks(db: Kdb, by: 'id' | 'system_id' | 'agent_id', ids: readonly string[], lock: boolean): Promise<CheckStateRow[]> {
  const rows: CheckStateRow[] = [];
  for (const part of chunks([...new Set(ids)].sort())) {
    let query = db.selectFrom('checks').select(COLUMNS).where(by, 'in', part).orderBy('id');
    if (lock) query = query.forUpdate();
    rows.push(...((await query.execute()) as CheckStateRow[]));
  }
  return rows;
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

export interface StateChangeDraft {
  id: string;
  at: string;
  recorded_at: string;
  client_id: string;
  site_id: string;
  system_id: string | null;
  check_id: string | null;
  agent_id: string | null;
  subject_type: string;
  from_state: string;
  to_state: string;
  reason: string;
  cause_type: string | null;
  cause_id: string | null;
  root_cause_id: string | null;
  source: string;
  processed_at: null;
}

/** Records a transition of a working check: the row to insert, and the check's new cause. */
export function recordTransition(check: WorkingCheck, t: Transition, recordedAt: string, source: string): StateChangeDraft {
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

export async function insertStateChanges(db: Kdb, drafts: StateChangeDraft[]): Promise<void> {
  for (const part of chunks(drafts, 200)) await db.insertInto('state_changes').values(part).execute();
}

/** Writes back every check that changed: its state, cause, counters and last result. */
export async function saveChecks(db: Kdb, checks: Iterable<WorkingCheck>, now: string): Promise<void> {
  for (const c of checks) {
    if (!c.dirty) continue;
    const m = c.machine;
    await db
      .updateTable('checks')
      .set({
        state: m.state,
        computed_state: m.computed,
        state_since: m.since,
        state_reason: m.reason,
        state_change_id: c.stateChangeId,
        cause_type: c.cause?.type ?? null,
        cause_id: c.cause?.id ?? null,
        consecutive_failures: m.consecutiveFailures,
        consecutive_successes: m.consecutiveSuccesses,
        ...(c.last
          ? { last_run_at: c.last.at, last_status: c.last.status, last_latency_ms: c.last.latencyMs, last_message: c.last.message }
          : {}),
        ...(c.latencies ? { recent_latencies: JSON.stringify(c.latencies) } : {}),
        updated_at: now,
      })
      .where('id', '=', c.row.id)
      .execute();
  }
}

/** Adds a fresh result's latency (null for a failure) to the check's sparkline. */
export function pushLatency(check: WorkingCheck, latencyMs: number | null, failed: boolean): void {
  if (!check.latencies) {
    try {
      const parsed: unknown = JSON.parse(check.row.recent_latencies);
      check.latencies = Array.isArray(parsed) ? (parsed as Array<number | null>) : [];
    } catch {
      check.latencies = [];
    }
  }
  check.latencies.push(failed ? null : latencyMs);
  if (check.latencies.length > SPARKLINE_POINTS) check.latencies.splice(0, check.latencies.length - SPARKLINE_POINTS);
}
