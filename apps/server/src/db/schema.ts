

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

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  sign_in_throttle: SignInThrottleTable;
  audit_events: AuditEventsTable;
  clients: ClientsTable;
  contacts: ContactsTable;
  sites: SitesTable;
  systems: SystemsTable;
  system_dependencies: SystemDependenciesTable;
}
