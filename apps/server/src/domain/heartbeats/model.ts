import {
  deadlines,
  type HeartbeatState,
  type HeartbeatStatus,
  type PingKeywords,
  type Schedule,
} from '@afterhours/shared';
import type { HeartbeatsTable } from '../../db/schema.js';

/** The schedule a heartbeat row describes. */
export function scheduleOf(
  row: Pick<HeartbeatsTable, 'schedule_kind' | 'period_s' | 'cron' | 'time_zone' | 'grace_s'>,
): Schedule {
  if (row.schedule_kind === 'cron' && row.cron)
    return { kind: 'cron', cron: row.cron, timeZone: row.time_zone ?? 'UTC', graceS: row.grace_s };
  return { kind: 'period', periodS: row.period_s ?? 86_400, graceS: row.grace_s };
}

export function stateOf(
  row: Pick<HeartbeatsTable, 'status' | 'status_since' | 'status_reason' | 'last_ping_at' | 'running_since'>,
): HeartbeatState {
  return {
    status: row.status as HeartbeatStatus,
    since: row.status_since,
    reason: row.status_reason,
    lastPingAt: row.last_ping_at,
    runningSince: row.running_since,
  };
}

export function keywordsOf(json: string): PingKeywords {
  try {
    const v = JSON.parse(json) as Partial<PingKeywords>;
    return { success: v.success ?? [], failure: v.failure ?? [], start: v.start ?? [] };
  } catch {
    return { success: [], failure: [], start: [] };
  }
}

/** The columns that follow from a state and schedule: status and the indexed "next due" time. */
export function stateColumns(state: HeartbeatState, schedule: Schedule) {
  const d = deadlines(state, schedule);
  return {
    status: state.status,
    status_since: state.since,
    status_reason: state.reason,
    last_ping_at: state.lastPingAt,
    running_since: state.runningSince,
    expected_at: d.expectedAt?.toISOString() ?? null,
    down_at: d.downAt?.toISOString() ?? null,
    next_due_at: d.nextDueAt?.toISOString() ?? null,
  };
}
