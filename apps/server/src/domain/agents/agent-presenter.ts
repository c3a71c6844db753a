import type { Agent, AgentStatus } from '@afterhours/shared';
import type { AgentsTable } from '../../db/schema.js';
import { isOlderVersion } from './release.js';

export type AgentWithSite = AgentsTable & { site_name: string };

export function presentAgent(row: AgentWithSite, checkCount: number, latestVersion?: string): Agent {
  return {
    id: row.id,
    clientId: row.client_id,
    siteId: row.site_id,
    siteName: row.site_name,
    name: row.name,
    status: row.status as AgentStatus,
    statusSince: row.status_since,
    lastSeenAt: row.last_seen_at,
    version: row.version,
    hostname: row.hostname,
    uptimeS: row.uptime_s,
    backlog: row.backlog,
    outdated: Boolean(row.version && latestVersion && isOlderVersion(row.version, latestVersion)),
    enrolledAt: row.enrolled_at,
    enrolExpiresAt: row.enrol_code_hash ? row.enrol_expires_at : null,
    revokedAt: row.revoked_at,
    checkCount,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What the audit log keeps of an agent: never its code or token, not even hashed. */
export function auditableAgent(row: AgentsTable) {
  return {
    siteId: row.site_id,
    name: row.name,
    status: row.status,
    enrolledAt: row.enrolled_at,
    revokedAt: row.revoked_at,
  };
}
