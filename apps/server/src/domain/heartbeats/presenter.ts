import type { EmailRule, Heartbeat, HeartbeatEvent } from '@afterhours/shared';
import type { HeartbeatPingsTable, HeartbeatsTable } from '../../db/schema.js';
import { inSystemOf, type InSystemRow } from '../in-system.js';
import { keywordsOf, scheduleOf } from './model.js';

export type HeartbeatWithNames = HeartbeatsTable & InSystemRow & { ping_key: string | null };

export interface EmailSettings {
  enabled: boolean;
  localPart: string | null;
  preset: 'generic' | null;
  rules: EmailRule[];
  otherwise: 'success' | 'warning' | 'failure' | 'ignore';
}

export function emailSettingsOf(json: string): EmailSettings {
  try {
    const v = JSON.parse(json) as Partial<EmailSettings>;
    return {
      enabled: v.enabled ?? false,
      localPart: v.localPart ?? null,
      preset: v.preset ?? null,
      rules: v.rules ?? [],
      otherwise: v.otherwise ?? 'ignore',
    };
  } catch {
    return { enabled: false, localPart: null, preset: null, rules: [], otherwise: 'ignore' };
  }
}

const lastResult = (row: HeartbeatsTable) =>
  row.last_result && row.last_result_at
    ? { result: row.last_result as 'success' | 'warning' | 'failure', at: row.last_result_at }
    : null;

/** A heartbeat as the API shows it. `emailDomain` is the hub's report domain (null: no SMTP listener). */
export function presentHeartbeat(row: HeartbeatWithNames, emailDomain: string | null): Heartbeat {
  const email = emailSettingsOf(row.email_json);
  return {
    id: row.id,
    ...inSystemOf(row),
    name: row.name,
    slug: row.slug,
    schedule: scheduleOf(row),
    pingPath: `/ping/${row.id}`,
    slugPath: row.slug && row.ping_key ? `/ping/${row.ping_key}/${row.slug}` : null,
    keywords: keywordsOf(row.keywords_json),
    bodyLimit: row.body_limit,
    paused: row.paused === 1,
    status: row.status as Heartbeat['status'],
    statusSince: row.status_since,
    statusReason: row.status_reason,
    lastPingAt: row.last_ping_at,
    lastSuccessAt: row.last_success_at,
    lastResult: lastResult(row),
    lastDurationMs: row.last_duration_ms,
    runningSince: row.running_since,
    expectedAt: row.expected_at,
    downAt: row.down_at,
    email: {
      enabled: email.enabled,
      address: email.enabled && row.email_local && emailDomain ? `${row.email_local}@${emailDomain}` : null,
      localPart: row.email_local,
      preset: email.preset,
      rules: email.rules,
      otherwise: email.otherwise,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export { lastResult };

export function presentEvent(row: HeartbeatPingsTable): HeartbeatEvent {
  return {
    n: Number(row.n),
    at: row.at,
    source: row.source as HeartbeatEvent['source'],
    action: row.action as HeartbeatEvent['action'],
    method: row.method,
    remoteAddr: row.remote_addr,
    userAgent: row.user_agent,
    body: row.body,
    bodySize: row.body_size,
    rid: row.rid,
    exitStatus: row.exit_status,
    durationMs: row.duration_ms,
    emailFrom: row.email_from,
    emailSubject: row.email_subject,
  };
}

/** What the audit log keeps of a heartbeat: its settings, not its changing state. */
export function auditableHeartbeat(row: HeartbeatsTable): object {
  return {
    name: row.name,
    systemId: row.system_id,
    slug: row.slug,
    schedule: scheduleOf(row),
    keywords: keywordsOf(row.keywords_json),
    bodyLimit: row.body_limit,
    paused: row.paused === 1,
    email: emailSettingsOf(row.email_json),
  };
}
