import type { Kdb } from '../db/database.js';
import type { AgentsTable, ChecksTable } from '../db/schema.js';
import { newCheckState } from '../domain/monitoring/new-check-state.js';
import { newId } from '../lib/ids.js';

/** Builders for monitoring rows: checks and agents, straight into the database. */

const NOW = '2026-11-20T17:00:00.000Z';
let counter = 0;

export function checkRow(
  system: { id: string; site_id: string; client_id: string },
  overrides: Partial<ChecksTable> = {},
): ChecksTable {
  return {
    id: newId(),
    client_id: system.client_id,
    site_id: system.site_id,
    system_id: system.id,
    name: `Check ${++counter}`,
    kind: 'tcp',
    params_json: JSON.stringify({ host: '127.0.0.1', port: 9 }),
    secrets_enc: null,
    probe: 'hub',
    agent_id: null,
    interval_s: 60,
    timeout_ms: 5000,
    failures_before_down: 1,
    successes_before_up: 1,
    ...newCheckState(NOW),
    next_run_at: null,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export async function insertCheck(
  db: Kdb,
  system: { id: string; site_id: string; client_id: string },
  overrides: Partial<ChecksTable> = {},
) {
  const row = checkRow(system, overrides);
  await db.insertInto('checks').values(row).execute();
  return row;
}

export async function insertAgent(
  db: Kdb,
  site: { id: string; client_id: string },
  overrides: Partial<AgentsTable> = {},
) {
  const row: AgentsTable = {
    id: newId(),
    client_id: site.client_id,
    site_id: site.id,
    name: `agent-${++counter}`,
    enrol_code_hash: null,
    enrol_expires_at: null,
    token_hash: null,
    enrolled_at: NOW,
    revoked_at: null,
    status: 'online',
    status_since: NOW,
    last_seen_at: NOW,
    version: '0.1.0',
    hostname: 'office-pi',
    uptime_s: 10,
    last_acked_seq: 0,
    backlog: null,
    created_by: null,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
  await db.insertInto('agents').values(row).execute();
  return row;
}
