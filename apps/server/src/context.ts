import type { FastifyBaseLogger } from 'fastify';
import type { Db } from './db/database.js';
import type { AgentLink } from './domain/monitoring/agent-link.js';
import type { EventBus } from './events/bus.js';
import type { Clock } from './lib/clock.js';
import type { SecretBox } from './lib/secrets.js';
import type { AgentRelease } from './domain/agents/release.js';
import type { HeartbeatSettings } from './domain/heartbeats/settings.js';
import type { NotifySettings } from './domain/notify/settings.js';

/** What every route and command needs, passed in rather than imported, so tests can swap any part. */
export interface AppContext {
  db: Db;
  clock: Clock;
  bus: EventBus;
  secrets: SecretBox;
  log: FastifyBaseLogger;
  settings: HubSettings;
  /** The site-agent link (run now, reassign); without it no agent counts as connected. */
  agentLink?: AgentLink;
  /** This hub's own event figures for /metrics (set by installMetrics; absent in a bare context). */
  metrics?: HubEventMetrics;
}

/** Events the hot paths report to /metrics; one per hub instance, never a process-wide singleton. */
export interface HubEventMetrics {
  /** The built-in probe started a check this late behind its slot (ms). */
  probeStarted(latenessMs: number): void;
  /** Check results stored, by where they came from. */
  resultsStored(source: 'probe' | 'agent', count: number): void;
}

export interface HubSettings {
  /** Cookies get `Secure` when the hub is served over HTTPS (directly or behind a proxy). */
  secureCookies: boolean;
  sessionTtlMs: number;
  signIn: { maxFailures: number; windowMs: number; lockoutMs: number };
  /** A site agent unheard for this long makes its site unreachable (AFTERHOURS_AGENT_TIMEOUT_S). */
  agentTimeoutMs: number;
  monitoring: MonitoringSettings;
  /** Ping rate limits, the detection worker, the SMTP report listener (defaults when absent). */
  heartbeats?: HeartbeatSettings;
  /** The outbox: retries, timeouts, how many messages go out at once (defaults when absent). */
  notify?: NotifySettings;
  /** Alerting: flap detection, how often the workers look without being woken (defaults when absent). */
  alerts?: AlertSettings;
  /**
   * The hub's address as the offices reach it (AFTERHOURS_PUBLIC_URL), without a trailing slash: baked
   * into links in messages, the agent install script and the enrolment command. When it is not set, the
   * hub fills in its own listening address for messages and says so with `publicUrlGuessed`; the agent
   * install command then uses the address the request came to instead.
   */
  publicUrl?: string | undefined;
  publicUrlGuessed?: boolean;
  /** The agent builds the hub serves under /agent/ (apps/agent/release); absent when not built. */
  agentRelease?: AgentRelease | undefined;
  /** Power: how often the site agents poll their UPSes, how long power must stay back before it counts as back. */
  power?: { pollMs: number; stableMs: number };
}

export interface AlertSettings {
  flap: { maxChanges: number; windowMinutes: number };
  /** Whether this process runs the alert and escalation workers. */
  workersEnabled: boolean;
  /** The longest the alert worker sleeps when nothing wakes it. */
  alertIdleMs: number;
  /** The longest the escalation worker sleeps when no escalation is due sooner. */
  escalationIdleMs: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  flap: { maxChanges: 4, windowMinutes: 30 },
  workersEnabled: true,
  alertIdleMs: 15_000,
  escalationIdleMs: 15_000,
};

export interface MonitoringSettings {
  /** Raw check results are deleted after this many days. */
  resultRetentionDays: number;
  /** Per-minute roll-ups (charts of up to 90 days by the minute) are deleted after this many days. */
  minuteRollupRetentionDays: number;
  /** Hourly roll-ups (uptime, latency) are deleted after this many days. */
  rollupRetentionDays: number;
  /** The built-in probe runs at most this many checks at once. */
  probeConcurrency: number;
  /** Whether this process runs the built-in probe and the retention job. */
  probeEnabled: boolean;
}

export const DEFAULT_SETTINGS: HubSettings = {
  secureCookies: false,
  sessionTtlMs: 30 * 24 * 3600_000,
  signIn: { maxFailures: 5, windowMs: 15 * 60_000, lockoutMs: 15 * 60_000 },
  agentTimeoutMs: 90_000,
  monitoring: {
    resultRetentionDays: 7,
    minuteRollupRetentionDays: 90,
    rollupRetentionDays: 730,
    probeConcurrency: 100,
    probeEnabled: true,
  },
};
