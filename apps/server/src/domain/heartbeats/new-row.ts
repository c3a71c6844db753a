import { DEFAULT_BODY_LIMIT, DEFAULT_GRACE_S, DEFAULT_PERIOD_S, initialHeartbeatState } from '@afterhours/shared';
import type { HeartbeatsTable } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { scheduleOf, stateColumns } from './model.js';

/** A new heartbeat row with the defaults (every day, an hour's grace, 10,000 bytes of body); overrides win. */
export function newHeartbeatRow(input: {
  system: { id: string; site_id: string; client_id: string; time_zone: string };
  name: string;
  slug: string | null;
  now: string;
  createdBy: string | null;
  overrides?: Partial<HeartbeatsTable>;
}): HeartbeatsTable {
  const base: HeartbeatsTable = {
    id: newId(),
    client_id: input.system.client_id,
    site_id: input.system.site_id,
    system_id: input.system.id,
    name: input.name,
    slug: input.slug,
    schedule_kind: 'period',
    period_s: DEFAULT_PERIOD_S,
    cron: null,
    time_zone: input.system.time_zone,
    grace_s: DEFAULT_GRACE_S,
    keywords_json: JSON.stringify({ success: [], failure: [], start: [] }),
    body_limit: DEFAULT_BODY_LIMIT,
    paused: 0,
    email_local: null,
    email_json: JSON.stringify({ enabled: false, localPart: null, preset: null, rules: [], otherwise: 'ignore' }),
    status: 'new',
    status_since: input.now,
    status_reason: 'never pinged',
    state_change_id: null,
    last_ping_at: null,
    last_success_at: null,
    last_result: null,
    last_result_at: null,
    last_duration_ms: null,
    running_since: null,
    expected_at: null,
    down_at: null,
    next_due_at: null,
    n_pings: 0,
    created_by: input.createdBy,
    created_at: input.now,
    updated_at: input.now,
    ...input.overrides,
  };
  return { ...base, ...stateColumns(initialHeartbeatState(input.now, base.paused === 1), scheduleOf(base)) };
}
