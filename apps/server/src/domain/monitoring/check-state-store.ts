import type { MachineState, Suppression, Transition, ComputedState, CheckState } from '@afterhours/shared';
import { sql, type RawBuilder } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { ChecksTable } from '../../db/schema.js';
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

type ColumnType = 'text' | 'integer' | 'real' | 'timestamp';
const SAVED: Array<[keyof ChecksTable & string, ColumnType, (c: WorkingCheck, now: string) => unknown]> = [
  ['state', 'text', (c) => c.machine.state],
  ['computed_state', 'text', (c) => c.machine.computed],
  ['state_since', 'timestamp', (c) => c.machine.since],
  ['state_reason', 'text', (c) => c.machine.reason],
  ['state_change_id', 'text', (c) => c.stateChangeId],
  ['cause_type', 'text', (c) => c.cause?.type ?? null],
  ['cause_id', 'text', (c) => c.cause?.id ?? null],
  ['consecutive_failures', 'integer', (c) => c.machine.consecutiveFailures],
  ['consecutive_successes', 'integer', (c) => c.machine.consecutiveSuccesses],
  ['updated_at', 'timestamp', (_c, now) => now],
];
/** Written only for checks with a new result (`has_last` = 1); the others keep theirs. */
const LAST: Array<[keyof ChecksTable & string, ColumnType, (c: WorkingCheck) => unknown]> = [
  ['last_run_at', 'timestamp', (c) => c.last?.at ?? null],
  ['last_status', 'text', (c) => c.last?.status ?? null],
  ['last_latency_ms', 'real', (c) => c.last?.latencyMs ?? null],
  ['last_message', 'text', (c) => c.last?.message ?? null],
  ['recent_latencies', 'text', (c) => (c.latencies ? JSON.stringify(c.latencies) : null)],
];

/**
 * Writes back every check that changed — state, cause, counters, last result — in one UPDATE per 200
 * checks (a statement per check was most of the probe's database time).
 */
export async function saveChecks(db: Kdb, checks: Iterable<WorkingCheck>, now: string, timestampType: 'text' | 'timestamptz'): Promise<void> {
  const dirty = [...checks].filter((c) => c.dirty);
  const cast = (expr: RawBuilder<unknown>, type: ColumnType) => sql`cast(${expr} as ${sql.raw(type === 'timestamp' ? timestampType : type)})`;
  const names = ['id', ...SAVED.map(([n]) => n), 'has_last', ...LAST.map(([n]) => n)];
  for (const part of chunks(dirty, 200)) {
    const rows = part.map((c) =>
      sql`(${sql.join([c.row.id, ...SAVED.map(([, , get]) => get(c, now)), c.last ? 1 : 0, ...LAST.map(([, , get]) => get(c))])})`,
    );
    const v = (name: string) => sql.ref(`v.${name}`);
    const sets = [
      ...SAVED.map(([name, type]) => sql`${sql.ref(name)} = ${cast(v(name), type)}`),
      ...LAST.map(
        ([name, type]) => sql`${sql.ref(name)} = case when ${cast(v('has_last'), 'integer')} = 1 then ${cast(v(name), type)} else ${sql.ref(`checks.${name}`)} end`,
      ),
    ];
    await sql`with v(${sql.join(names.map((n) => sql.ref(n)))}) as (values ${sql.join(rows)})
      update checks set ${sql.join(sets)} from v where checks.id = v.id`.execute(db);
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
