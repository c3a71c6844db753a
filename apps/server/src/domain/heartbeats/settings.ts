/** Heartbeat settings of the hub (env vars in README's configuration table). */
export interface HeartbeatSettings {
  /** Pings per second one source address may send (0: no limit), and the burst it may save up. */
  ratePerSource: number;
  burstPerSource: number;
  /** Pings per second one heartbeat may receive (0: no limit), and its burst. */
  ratePerHeartbeat: number;
  burstPerHeartbeat: number;
  /** Whether this process runs the detection worker (late/down by time) and ping retention. */
  detectorEnabled: boolean;
  /** Pings and e-mails older than this are deleted. */
  pingRetentionDays: number;
  /** The SMTP listener for e-mailed backup reports: off unless a port is set. */
  smtp: SmtpSettings;
}

export interface SmtpSettings {
  /** null: no listener. */
  port: number | null;
  host: string;
  /** Domains of report addresses (<local part>@<domain>); the first is the one shown. Mail to others is refused. */
  domains: string[];
  /** Largest message accepted, in bytes. */
  maxBytes: number;
}

export const DEFAULT_HEARTBEAT_SETTINGS: HeartbeatSettings = {
  ratePerSource: 100,
  burstPerSource: 1000,
  ratePerHeartbeat: 1,
  burstPerHeartbeat: 60,
  detectorEnabled: true,
  pingRetentionDays: 90,
  smtp: { port: null, host: '0.0.0.0', domains: [], maxBytes: 1024 * 1024 },
};

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, unit: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min)
    throw new Error(`${name} must be a number of ${unit}, at least ${min} (got "${raw}")`);
  return n;
}

/** Reads AFTERHOURS_PING_* and AFTERHOURS_SMTP_* (see README); throws a message naming the variable. */
export function heartbeatSettingsFromEnv(env: NodeJS.ProcessEnv): HeartbeatSettings {
  const d = DEFAULT_HEARTBEAT_SETTINGS;
  const port = env.AFTERHOURS_SMTP_PORT ? Math.floor(number(env, 'AFTERHOURS_SMTP_PORT', 0, 0, 'a TCP port')) : null;
  if (port !== null && port > 65_535)
    throw new Error(`AFTERHOURS_SMTP_PORT must be a TCP port (got "${env.AFTERHOURS_SMTP_PORT}")`);
  const domains = (env.AFTERHOURS_SMTP_DOMAIN ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (port !== null && domains.length === 0)
    throw new Error('AFTERHOURS_SMTP_DOMAIN must name the domain of report addresses when AFTERHOURS_SMTP_PORT is set');
  return {
    ratePerSource: number(env, 'AFTERHOURS_PING_RATE_PER_SOURCE', d.ratePerSource, 0, 'pings per second'),
    burstPerSource: number(env, 'AFTERHOURS_PING_BURST_PER_SOURCE', d.burstPerSource, 1, 'pings'),
    ratePerHeartbeat: number(env, 'AFTERHOURS_PING_RATE_PER_HEARTBEAT', d.ratePerHeartbeat, 0, 'pings per second'),
    burstPerHeartbeat: number(env, 'AFTERHOURS_PING_BURST_PER_HEARTBEAT', d.burstPerHeartbeat, 1, 'pings'),
    detectorEnabled: env.AFTERHOURS_HEARTBEAT_DETECTOR !== 'off',
    pingRetentionDays: number(env, 'AFTERHOURS_PING_RETENTION_DAYS', d.pingRetentionDays, 1, 'days'),
    smtp: {
      port,
      host: env.AFTERHOURS_SMTP_HOST || d.smtp.host,
      domains,
      maxBytes: Math.floor(number(env, 'AFTERHOURS_SMTP_MAX_BYTES', d.smtp.maxBytes, 1024, 'bytes')),
    },
  };
}
