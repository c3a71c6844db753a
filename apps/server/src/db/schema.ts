import type { Generated } from 'kysely';

/** Timestamps are ISO 8601 UTC strings in both dialects (see db/dialects). Booleans are 0/1 integers. */
type Timestamp = string;

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  client_id: string | null;
  password_hash: string;
  totp_secret_enc: string | null;
  totp_pending_enc: string | null;
  totp_enabled: number;
  disabled: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_sign_in_at: Timestamp | null;
  /** The user's own display choices; null follows the firm's (firm_settings). */
  locale: string | null;
  clock: string | null;
}

/** One-time two-factor recovery codes, stored as SHA-256 hashes only. */
export interface RecoveryCodesTable {
  user_id: string;
  code_hash: string;
  created_at: Timestamp;
}

export interface FirmSettingsTable {
  /** Always 1: one row. */
  id: number;
  locale: string | null;
  clock: string | null;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  user_agent: string;
  ip: string;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  role: string;
  client_id: string | null;
  prefix: string;
  secret_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface SignInThrottleTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: Timestamp | null;
}

export interface AuditEventsTable {
  id: string;
  at: Timestamp;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  client_id: string | null;
  summary: string;
  before_json: string | null;
  after_json: string | null;
}

export interface ClientsTable {
  id: string;
  name: string;
  name_lower: string;
  notes: string;
  contract_json: string;
  archived_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ContactsTable {
  id: string;
  client_id: string;
  name: string;
  role: string;
  email: string | null;
  phone: string | null;
  preferred_channel: string;
  receives_incident_updates: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SitesTable {
  id: string;
  client_id: string;
  name: string;
  name_lower: string;
  address: string;
  time_zone: string;
  notes: string;
  archived_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SystemsTable {
  id: string;
  site_id: string;
  client_id: string;
  name: string;
  name_lower: string;
  kind: string;
  host: string | null;
  criticality: string;
  notes: string;
  archived_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SystemDependenciesTable {
  system_id: string;
  depends_on_id: string;
  client_id: string;
}

export interface AgentsTable {
  id: string;
  client_id: string;
  site_id: string;
  name: string;
  enrol_code_hash: string | null;
  enrol_expires_at: Timestamp | null;
  token_hash: string | null;
  enrolled_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** pending (not enrolled yet), online, unreachable, revoked */
  status: string;
  status_since: Timestamp;
  last_seen_at: Timestamp | null;
  version: string | null;
  hostname: string | null;
  uptime_s: number | null;
  /** Results waiting on the agent's disk, as it last reported. */
  backlog: number | null;
  /** The highest result-batch sequence number stored; a batch at or below it is a resend. */
  last_acked_seq: number;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ChecksTable {
  id: string;
  client_id: string;
  site_id: string;
  system_id: string;
  name: string;
  kind: string;
  /** Parameters without their secret fields. */
  params_json: string;
  /** Secret parameter fields (passwords, SNMP keys), encrypted with the hub's SecretBox. */
  secrets_enc: string | null;
  /** hub (built-in probe) or agent */
  probe: string;
  agent_id: string | null;
  interval_s: number;
  timeout_ms: number;
  failures_before_down: number;
  successes_before_up: number;
  paused: number;
  /** unknown, up, degraded, down, paused */
  state: string;
  state_since: Timestamp;
  state_reason: string;
  /** What the results alone say (unknown, up, degraded, down); differs from `state` while suppressed or paused. */
  computed_state: string;
  /** The state_changes row that put the check in its current state (the root cause for checks it suppresses). */
  state_change_id: string | null;
  /** Why the check is unknown instead of down: system or agent (or site), and which. */
  cause_type: string | null;
  cause_id: string | null;
  consecutive_failures: number;
  consecutive_successes: number;
  last_run_at: Timestamp | null;
  last_status: string | null;
  last_latency_ms: number | null;
  last_message: string | null;
  /** JSON array of the last 30 latencies (null for a failure), oldest first: the Now screen's sparkline. */
  recent_latencies: string;
  next_run_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A check's small integer number in the result tables (0010). */
export interface CheckSeriesTable {
  no: Generated<number>;
  check_id: string;
}

/** The dictionary of result texts: each (source, status, message) once (the status since 0022). */
export interface CheckTextsTable {
  id: Generated<number>;
  source: string;
  /** 0 up, 1 degraded, 2 down */
  status: number;
  message: string;
  /** The hour (since 1970) of the newest result that used it (0017): older than the raw results → unused. */
  last_hour: number;
}

/**
 * A raw result (0022): 16 bytes of data. `key` packs the series and the time (db/dialects/result-key.ts);
 * it passes 2^53, so it is read through that module's SQL, never as a JavaScript number.
 */
export interface CheckSamplesTable {
  key: number | string | bigint;
  /** µs */
  latency: number | null;
  text: number;
}

/** One check's results summed over an hour (latencies in µs). */
export interface CheckHourlyTable {
  series: number;
  /** hours since 1970 */
  hour: number;
  count: number;
  failures: number;
  latency_count: number;
  latency_sum: number;
  latency_min: number | null;
  latency_max: number | null;
}

/** One check's per-minute roll-ups of an hour, packed (db/dialects/minute-packing.ts). */
export interface CheckMinutesTable {
  series: number;
  /** hours since 1970 */
  hour: number;
  minutes: Uint8Array;
}

/** One check's hourly roll-ups of a day, packed (db/dialects/day-packing.ts), past the 30-day window (0021). */
export interface CheckDaysTable {
  series: number;
  /** days since 1970 (UTC) */
  day: number;
  hours: Uint8Array;
}

/** One check's raw results of a closed hour, packed (db/dialects/raw-packing.ts, migration 0023). */
export interface CheckSampleHoursTable {
  series: number;
  /** hours since 1970 */
  hour: number;
  samples: Uint8Array;
}

/**
 * Progress marks of history jobs: `minutes` is the last hour rolled up into check_minutes, `days` the last day
 * of hourly roll-ups packed into check_days, `samples` the last hour of raw results packed into
 * check_sample_hours (null: none; all named `hour` for the column).
 */
export interface HistoryMarksTable {
  name: string;
  hour: number | null;
}

/**
 * A view of check_samples since 0010 (inserts go through a trigger), kept for what read the old table. Raw rows
 * only: hours packed into check_sample_hours (0023, ADR 0017) are not in it, so it is no check's history — read
 * that with checkResults. Nothing in the hub reads it; tests, e2e specs and bench/lib/probe-hub.mjs read just
 * stored results through it, and the previous-release fixtures write through it.
 */
export interface CheckResultsTable {
  check_id: string;
  at: Timestamp;
  status: string;
  latency_ms: number | null;
  message: string;
  /** hub, or agent:<id> */
  source: string;
}

/** A view of check_hourly since 0010: hours past 32 days, packed by day into check_days (0021), are not in it. */
export interface CheckRollupsTable {
  check_id: string;
  hour: Timestamp;
  count: number;
  failures: number;
  latency_count: number;
  latency_sum: number;
  latency_min: number | null;
  latency_max: number | null;
}

export interface StateChangesTable {
  id: string;
  /** When the change happened (an agent's replayed result keeps its original time). */
  at: Timestamp;
  recorded_at: Timestamp;
  client_id: string;
  site_id: string;
  system_id: string | null;
  check_id: string | null;
  agent_id: string | null;
  /** check, or site (reachability through its agent) */
  subject_type: string;
  from_state: string;
  to_state: string;
  reason: string;
  cause_type: string | null;
  cause_id: string | null;
  /** Set on changes that follow from another (a check unknown because its site is unreachable). */
  root_cause_id: string | null;
  source: string;
  /** Set by the alerting worker (a later issue) once it has handled the change. */
  processed_at: Timestamp | null;
  /** Set on changes of a heartbeat (subject_type 'heartbeat'); added by migration 0003. */
  heartbeat_id?: string | null;
}

export interface HeartbeatsTable {
  id: string;
  client_id: string;
  site_id: string;
  system_id: string;
  name: string;
  slug: string | null;
  /** period or cron */
  schedule_kind: string;
  period_s: number | null;
  cron: string | null;
  time_zone: string | null;
  grace_s: number;
  /** {"success":[…],"failure":[…],"start":[…]} */
  keywords_json: string;
  /** Bytes of a ping body kept. */
  body_limit: number;
  paused: number;
  /** The e-mail address's local part (lower case) while e-mail reports are on; unique across the hub. */
  email_local: string | null;
  /** {enabled, localPart, preset, rules, otherwise} */
  email_json: string;
  /** new, up, degraded, late, down, paused */
  status: string;
  status_since: Timestamp;
  status_reason: string;
  state_change_id: string | null;
  /** The last finish (success, warning or failure): where the schedule counts from. */
  last_ping_at: Timestamp | null;
  last_success_at: Timestamp | null;
  /** success, warning, failure */
  last_result: string | null;
  last_result_at: Timestamp | null;
  last_duration_ms: number | null;
  /** The oldest open run's start. */
  running_since: Timestamp | null;
  expected_at: Timestamp | null;
  down_at: Timestamp | null;
  /** When the detection worker must look next (indexed); null when time alone cannot change the state. */
  next_due_at: Timestamp | null;
  n_pings: number;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface HeartbeatPingsTable {
  heartbeat_id: string;
  /** 1, 2, 3… per heartbeat */
  n: number;
  at: Timestamp;
  /** http or email */
  source: string;
  /** success, warning, fail, start, log, ignore */
  action: string;
  method: string;
  remote_addr: string;
  user_agent: string;
  body: string;
  body_size: number;
  rid: string | null;
  exit_status: number | null;
  duration_ms: number | null;
  email_from: string | null;
  email_subject: string | null;
}

export interface HeartbeatRunsTable {
  heartbeat_id: string;
  /** '' for a start without a rid */
  rid: string;
  started_at: Timestamp;
}

export interface PingKeysTable {
  client_id: string;
  key: string;
  auto_create_system_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TeamsTable {
  id: string;
  name: string;
  name_lower: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  position: number;
}

export interface SchedulesTable {
  id: string;
  name: string;
  name_lower: string;
  time_zone: string;
  team_id: string | null;
  /** SHA-256 of the schedule's iCal feed secret; null until a feed URL is made. */
  ical_secret_hash: string | null;
  /** When the gap worker looks at this schedule next (indexed). */
  gap_check_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ScheduleLayersTable {
  id: string;
  schedule_id: string;
  /** 0 is the bottom layer; a higher one wins where it has someone on call. */
  position: number;
  name: string;
  /** JSON array of user ids, in rotation order. */
  participants_json: string;
  /** daily, weekly or days */
  rotation: string;
  every_days: number;
  /** HH:MM in the schedule's time zone */
  handoff_time: string;
  /** YYYY-MM-DD */
  start_date: string;
  /** JSON array of {days, from, to} */
  restrictions_json: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ScheduleOverridesTable {
  id: string;
  schedule_id: string;
  user_id: string;
  start_at: Timestamp;
  end_at: Timestamp;
  note: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface UserIcalFeedsTable {
  user_id: string;
  secret_hash: string;
  created_at: Timestamp;
}

export interface OncallGapsTable {
  id: string;
  schedule_id: string;
  start_at: Timestamp;
  end_at: Timestamp;
  found_at: Timestamp;
  alert_id: string | null;
}

export interface AlertsTable {
  id: string;
  /** check, site, heartbeat, system */
  kind: string;
  key: string;
  /** The key while unresolved (unique): one unresolved alert per thing. */
  open_key: string | null;
  client_id: string | null;
  site_id: string | null;
  system_id: string | null;
  check_id: string | null;
  heartbeat_id: string | null;
  agent_id: string | null;
  title: string;
  reason: string;
  criticality: string;
  /** open, acknowledged, resolved */
  state: string;
  subject_state: string;
  flapping: number;
  changes_json: string;
  maintenance_id: string | null;
  pages: number;
  page_reason: string;
  root_change_id: string | null;
  affected_json: string;
  /** A server's alert: its own checks that are failing, [{ checkId, name, since, reason }]. */
  failing_json: string;
  policy_id: string | null;
  policy_json: string | null;
  opened_at: Timestamp;
  last_change_at: Timestamp;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  /** recovered, person */
  resolution: string | null;
  updated_at: Timestamp;
}

export interface AlertEventsTable {
  id: string;
  alert_id: string;
  at: Timestamp;
  /** Orders events of the same instant. */
  seq: number;
  kind: string;
  actor_id: string | null;
  summary: string;
  data_json: string | null;
}

export interface MaintenanceWindowsTable {
  id: string;
  client_id: string;
  site_id: string;
  system_ids_json: string;
  /** once or weekly */
  kind: string;
  starts_at: Timestamp | null;
  ends_at: Timestamp | null;
  days_json: string;
  start_time: string | null;
  end_time: string | null;
  time_zone: string;
  reason: string;
  /** person or plan */
  source: string;
  created_by: string | null;
  ended_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EscalationPoliciesTable {
  id: string;
  name: string;
  is_default: number;
  steps_json: string;
  repeat: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EscalationsTable {
  id: string;
  subject_type: string;
  subject_id: string;
  policy_id: string | null;
  policy_json: string;
  epoch: number;
  step: number;
  pass: number;
  /** active, acknowledged, resolved, exhausted */
  state: string;
  due_at: Timestamp | null;
  message_json: string;
  urgency: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SubjectPagesTable {
  subject_type: string;
  subject_id: string;
  user_id: string;
  first_at: Timestamp;
  last_round: string;
}

export interface AcknowledgementsTable {
  subject_type: string;
  subject_id: string;
  user_id: string;
  via: string;
  at: Timestamp;
}

export interface Database {
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  firm_settings: FirmSettingsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  sign_in_throttle: SignInThrottleTable;
  audit_events: AuditEventsTable;
  clients: ClientsTable;
  contacts: ContactsTable;
  sites: SitesTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  schedules: SchedulesTable;
  schedule_layers: ScheduleLayersTable;
  schedule_overrides: ScheduleOverridesTable;
  user_ical_feeds: UserIcalFeedsTable;
  oncall_gaps: OncallGapsTable;
  systems: SystemsTable;
  system_dependencies: SystemDependenciesTable;
  agents: AgentsTable;
  checks: ChecksTable;
  check_results: CheckResultsTable;
  check_rollups: CheckRollupsTable;
  check_series: CheckSeriesTable;
  check_texts: CheckTextsTable;
  check_samples: CheckSamplesTable;
  check_hourly: CheckHourlyTable;
  check_minutes: CheckMinutesTable;
  check_days: CheckDaysTable;
  check_sample_hours: CheckSampleHoursTable;
  history_marks: HistoryMarksTable;
  state_changes: StateChangesTable;
  heartbeats: HeartbeatsTable;
  heartbeat_pings: HeartbeatPingsTable;
  heartbeat_runs: HeartbeatRunsTable;
  ping_keys: PingKeysTable;
  contact_methods: ContactMethodsTable;
  notification_rules: NotificationRulesTable;
  notification_prefs: NotificationPrefsTable;
  hub_channel_settings: HubChannelSettingsTable;
  outbox: OutboxTable;
  deliveries: DeliveriesTable;
  alerts: AlertsTable;
  alert_events: AlertEventsTable;
  maintenance_windows: MaintenanceWindowsTable;
  power_ups: PowerUpsTable;
  power_state: PowerStateTable;
  power_events: PowerEventsTable;
  power_plans: PowerPlansTable;
  power_actions: PowerActionsTable;
  power_outages: PowerOutagesTable;
  power_orders: PowerOrdersTable;
  power_run_log: PowerRunLogTable;
  power_shutdowns: PowerShutdownsTable;
  escalation_policies: EscalationPoliciesTable;
  escalations: EscalationsTable;
  subject_pages: SubjectPagesTable;
  acknowledgements: AcknowledgementsTable;
  message_templates: MessageTemplatesTable;
  client_updates: ClientUpdatesTable;
  client_update_recipients: ClientUpdateRecipientsTable;
  share_links: ShareLinksTable;
  checklist_templates: ChecklistTemplatesTable;
  checklist_template_versions: ChecklistTemplateVersionsTable;
  checklist_bindings: ChecklistBindingsTable;
  checklist_schedules: ChecklistSchedulesTable;
  checklist_runs: ChecklistRunsTable;
  checklist_run_steps: ChecklistRunStepsTable;
  checklist_ticks: ChecklistTicksTable;
  checklist_photos: ChecklistPhotosTable;
  incidents: IncidentsTable;
  incident_sites: IncidentSitesTable;
  incident_systems: IncidentSystemsTable;
  incident_alerts: IncidentAlertsTable;
  incident_timeline: IncidentTimelineTable;
  incident_photos: IncidentPhotosTable;
  tasks: TasksTable;
  task_templates: TaskTemplatesTable;
  hub_heartbeats: HubHeartbeatsTable;
}

/** The hub's own heartbeats: an engine that must keep running beats here after every pass. */
export interface HubHeartbeatsTable {
  name: string;
  beat_at: Timestamp;
  /** Which hub process beat last (host and pid). */
  process: string;
}

export interface ContactMethodsTable {
  id: string;
  user_id: string;
  kind: string;
  label: string;
  settings_enc: string;
  summary: string;
  verified_at: Timestamp | null;
  verify_code_hash: string | null;
  verify_expires_at: Timestamp | null;
  /** Wrong codes entered; the code stops working after five. */
  verify_failures: number;
  broken_at: Timestamp | null;
  broken_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface NotificationRulesTable {
  id: string;
  user_id: string;
  method_id: string;
  delay_minutes: number;
  /** high (pages) or low (everything else) */
  urgency: string;
  created_at: Timestamp;
}

export interface NotificationPrefsTable {
  user_id: string;
  /** HH:MM in time_zone; low-urgency messages wait until quiet_end. Null: no quiet hours. */
  quiet_start: string | null;
  quiet_end: string | null;
  time_zone: string;
  updated_at: Timestamp;
}

export interface HubChannelSettingsTable {
  /** smtp, twilio, vapid */
  key: string;
  value_enc: string;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface OutboxTable {
  id: string;
  idempotency_key: string;
  user_id: string | null;
  method_id: string | null;
  kind: string;
  address: string | null;
  subject_type: string;
  subject_id: string;
  round: string;
  urgency: string;
  /** page, notify, address, test, verify, broken */
  purpose: string;
  payload_json: string;
  /** queued, sending, sent, delivered, failed, cancelled, may_have_been_sent */
  status: string;
  attempts: number;
  next_attempt_at: Timestamp | null;
  /** While 'sending': past this, the process that claimed the row is taken to have died. */
  lease_until: Timestamp | null;
  last_error: string | null;
  provider_ref: string | null;
  created_at: Timestamp;
  first_attempt_at: Timestamp | null;
  sent_at: Timestamp | null;
  delivered_at: Timestamp | null;
  finished_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface DeliveriesTable {
  id: string;
  outbox_id: string;
  user_id: string | null;
  subject_type: string;
  subject_id: string;
  at: Timestamp;
  /** queued, sending, sent, delivered, retry, failed, cancelled, may_have_been_sent, acknowledged */
  event: string;
  attempt: number;
  detail: string;
  duration_ms: number | null;
}

export interface PowerUpsTable {
  id: string;
  client_id: string;
  site_id: string;
  name: string;
  kind: string;
  settings_json: string;
  secrets_enc: string | null;
  created_at: Timestamp;
  /** Null: the hub's default (settings.power.pollMs). */
  poll_ms: number | null;
  /** Null: the hub's default (settings.power.stableMs). */
  stable_ms: number | null;
}

export interface PowerStateTable {
  site_id: string;
  client_id: string;
  state: string;
  on_battery_since: Timestamp | null;
  charge_percent: number | null;
  runtime_seconds: number | null;
  load_percent: number | null;
  readings_json: string;
  alert_state: string;
  online_since: Timestamp | null;
  updated_at: Timestamp;
}

export interface PowerEventsTable {
  id: string;
  client_id: string;
  site_id: string;
  at: Timestamp;
  kind: string;
  message: string;
}

export interface PowerPlansTable {
  site_id: string;
  client_id: string;
  plan_json: string;
  updated_at: Timestamp;
}

export interface PowerActionsTable {
  system_id: string;
  client_id: string;
  site_id: string;
  actions_json: string;
  secrets_enc: string | null;
  host_key: string | null;
  host_key_pinned_at: Timestamp | null;
  host_key_refused: string | null;
  host_key_refused_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface PowerOutagesTable {
  id: string;
  client_id: string;
  site_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  note: string;
  created_at: Timestamp;
}

export interface PowerOrdersTable {
  id: string;
  site_id: string;
  command: string;
  system_id: string | null;
  by: string;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface PowerRunLogTable {
  id: string;
  client_id: string;
  site_id: string;
  agent_id: string;
  seq: number;
  run_id: string;
  at: Timestamp;
  kind: string;
  level: string;
  message: string;
  system_id: string | null;
  trigger: string | null;
  phase: string | null;
}

export interface PowerShutdownsTable {
  system_id: string;
  site_id: string;
  run_id: string;
  at: Timestamp;
  maintenance_id: string | null;
}

export interface MessageTemplatesTable {
  id: string;
  /** incident_update, checklist_report */
  kind: string;
  name: string;
  subject: string;
  body: string;
  position: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ClientUpdatesTable {
  id: string;
  client_id: string;
  incident_id: string | null;
  checklist_run_id: string | null;
  subject: string;
  body: string;
  sent_by: string | null;
  sent_at: Timestamp;
}

export interface ClientUpdateRecipientsTable {
  id: string;
  update_id: string;
  position: number;
  contact_id: string | null;
  name: string;
  /** email, sms; null when skipped */
  channel: string | null;
  address: string | null;
  outbox_id: string | null;
  skipped: string | null;
}

export interface ShareLinksTable {
  id: string;
  /** incident_report, checklist_report */
  subject_type: string;
  subject_id: string;
  token_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  last_opened_at: Timestamp | null;
  /** The link stops working after this (null: never). */
  expires_at: Timestamp | null;
}

export interface ChecklistTemplatesTable {
  id: string;
  /** Null for a global template. */
  client_id: string | null;
  site_id: string | null;
  name: string;
  description: string;
  version: number;
  body_json: string;
  archived_at: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ChecklistTemplateVersionsTable {
  template_id: string;
  version: number;
  name: string;
  body_json: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface ChecklistBindingsTable {
  template_id: string;
  site_id: string;
  client_id: string;
  bindings_json: string;
  updated_at: Timestamp;
}

export interface ChecklistSchedulesTable {
  id: string;
  template_id: string;
  site_id: string;
  client_id: string;
  cron: string;
  notify_user_ids_json: string;
  oncall_schedule_id: string | null;
  enabled: number;
  next_run_at: Timestamp | null;
  last_run_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ChecklistRunsTable {
  id: string;
  template_id: string;
  template_version: number;
  client_id: string;
  site_id: string;
  incident_id: string | null;
  schedule_id: string | null;
  /** running, passed, passed_with_notes, failed */
  status: string;
  started_at: Timestamp;
  started_by: string | null;
  finished_at: Timestamp | null;
  finished_by: string | null;
  reported_at: Timestamp | null;
}

export interface ChecklistRunStepsTable {
  id: string;
  run_id: string;
  position: number;
  section: string;
  step_key: string;
  title: string;
  instructions: string;
  kind: string;
  target_json: string;
  target_label: string;
  /** pending, running, passed, failed, not_done */
  status: string;
  message: string;
  note: string;
  done_by: string | null;
  done_at: Timestamp | null;
  started_at: Timestamp | null;
  updated_at: Timestamp;
  /** The step's photo (0014_checklists_photos). */
  photo_id: string | null;
}

export interface ChecklistPhotosTable {
  id: string;
  run_id: string;
  step_id: string;
  content_type: string;
  size: number;
  bytes: Buffer;
  created_by: string | null;
  created_at: Timestamp;
}

export interface ChecklistTicksTable {
  run_id: string;
  tick_key: string;
  step_id: string;
  user_id: string | null;
  at: Timestamp;
}

export interface IncidentsTable {
  id: string;
  number: number;
  client_id: string;
  title: string;
  summary: string;
  /** investigating, identified, monitoring, resolved */
  status: string;
  /** critical, major, minor */
  severity: string;
  /** call, alert, person */
  source: string;
  owner_user_id: string | null;
  /** IncidentTerms: the contract's support hours and targets when it opened. */
  terms_json: string;
  opened_at: Timestamp;
  opened_by: string | null;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  status_at: Timestamp;
  status_by: string | null;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  updated_at: Timestamp;
  /** The last timeline seq given out (see addTimelineEntry). */
  timeline_seq: number;
}

export interface IncidentSitesTable {
  incident_id: string;
  site_id: string;
  /** 1 while the incident is not resolved. */
  open: number;
  added_at: Timestamp;
}

export interface IncidentSystemsTable {
  incident_id: string;
  system_id: string;
  added_at: Timestamp;
}

export interface IncidentAlertsTable {
  alert_id: string;
  incident_id: string;
  joined_at: Timestamp;
}

export interface IncidentTimelineTable {
  id: string;
  incident_id: string;
  at: Timestamp;
  seq: number;
  kind: string;
  actor_user_id: string | null;
  text: string;
  ref_type: string | null;
  ref_id: string | null;
  data_json: string | null;
  /** 1: only the team sees this line (never the client, the report or a shared link). */
  internal: Generated<number>;
}

export interface IncidentPhotosTable {
  id: string;
  incident_id: string;
  content_type: string;
  size: number;
  bytes: Buffer;
  created_by: string | null;
  created_at: Timestamp;
}

export interface TasksTable {
  id: string;
  incident_id: string;
  client_id: string;
  site_id: string | null;
  title: string;
  assignee_user_id: string | null;
  report_to_user_id: string | null;
  due_at: Timestamp | null;
  /** todo, doing, done, blocked */
  status: string;
  outcome: string;
  template_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
  status_at: Timestamp;
  status_by: string | null;
  updated_at: Timestamp;
}

export interface TaskTemplatesTable {
  id: string;
  title: string;
  notes: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}
