import type { HeartbeatTransition } from '@afterhours/shared';
import type { HeartbeatsTable, StateChangesTable } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';

/**
 * A heartbeat's changes of state as state_changes rows (subject_type 'heartbeat'), like a check's:
 * every one is a root (nothing suppresses a heartbeat), for the alerting worker to claim.
 */
export function heartbeatChangeRows(
  row: Pick<HeartbeatsTable, 'id' | 'client_id' | 'site_id' | 'system_id'>,
  transitions: HeartbeatTransition[],
  recordedAt: string,
  source: string,
): StateChangesTable[] {
  return transitions.map((t) => ({
    id: newId(),
    at: t.at,
    recorded_at: recordedAt,
    client_id: row.client_id,
    site_id: row.site_id,
    system_id: row.system_id,
    check_id: null,
    agent_id: null,
    heartbeat_id: row.id,
    subject_type: 'heartbeat',
    from_state: t.from,
    to_state: t.to,
    reason: t.reason,
    cause_type: null,
    cause_id: null,
    root_cause_id: null,
    source,
    processed_at: null,
  }));
}
