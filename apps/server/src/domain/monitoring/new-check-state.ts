import type { ChecksTable } from '../../db/schema.js';

export type NewCheckState = Pick<
  ChecksTable,
  | 'paused'
  | 'state'
  | 'computed_state'
  | 'state_since'
  | 'state_reason'
  | 'state_change_id'
  | 'cause_type'
  | 'cause_id'
  | 'consecutive_failures'
  | 'consecutive_successes'
  | 'last_run_at'
  | 'last_status'
  | 'last_latency_ms'
  | 'last_message'
  | 'recent_latencies'
>;

/**
 * The state fields of a check just added at `now` (ISO): no result yet, nothing counted, an empty sparkline —
 * or paused from the start, with who paused it. The API, the test factories and the benches all start checks here.
 */
export function newCheckState(now: string, pausedBy?: string): NewCheckState {
  return {
    paused: pausedBy === undefined ? 0 : 1,
    state: pausedBy === undefined ? 'unknown' : 'paused',
    computed_state: 'unknown',
    state_since: now,
    state_reason: pausedBy === undefined ? 'no result yet' : `paused by ${pausedBy}`,
    state_change_id: null,
    cause_type: null,
    cause_id: null,
    consecutive_failures: 0,
    consecutive_successes: 0,
    last_run_at: null,
    last_status: null,
    last_latency_ms: null,
    last_message: null,
    recent_latencies: '[]',
  };
}
