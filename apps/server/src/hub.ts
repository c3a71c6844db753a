import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pino, { type Logger } from 'pino';
import { DEFAULT_ALERT_SETTINGS, DEFAULT_SETTINGS, type AppContext, type HubSettings } from './context.js';
import { openDatabase, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { EventBus } from './events/bus.js';
import { PostgresFanout } from './events/postgres-fanout.js';
import { buildApp, REDACTED_LOG_PATHS } from './http/app.js';
import type { ZodApp } from './http/zod-app.js';
import { systemClock } from './lib/clock.js';
import { privateDirectory } from './lib/private-files.js';
import { SecretBox } from './lib/secrets.js';
import { sealClearSecrets } from './domain/monitoring/seal-secrets.js';
import { AgentConnections } from './domain/agents/connections.js';
import { loadAgentRelease } from './domain/agents/release.js';
import { AgentWatchdog } from './worker/agent-watchdog.js';
import { startMonitoringWorkers } from './worker/monitoring-workers.js';
import { OncallGapWorker } from './worker/oncall-gaps.js';
import { startHeartbeatWorkers } from './worker/heartbeat-workers.js';
import { startAlertWorkers } from './worker/alert-workers.js';
import { heartbeatSettingsFromEnv, type HeartbeatSettings } from './domain/heartbeats/settings.js';
import { ensureVapidKeys } from './domain/notify/hub-channels.js';
import { notifySettingsFromEnv, type NotifySettings } from './domain/notify/settings.js';
import { OutboxWorker } from './worker/outbox.js';
import { ChecklistScheduler } from './worker/checklist-scheduler.js';

export interface HubConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string | undefined;
  secretKey?: string | undefined;
  logLevel: string;
  secureCookies: boolean;
  trustProxy: boolean;
  webRoot?: string | undefined;
  /** Seconds without hearing from a site agent before its site is unreachable. */
  agentTimeoutS: number;
  /** Check history retention, the probe's concurrency, and whether this process runs the probe. */
  monitoring: HubSettings['monitoring'];
  /** Ping rate limits, the heartbeat detector, the SMTP report listener (AFTERHOURS_PING_*, AFTERHOURS_SMTP_*). */
  heartbeats?: HeartbeatSettings;
  /** The outbox's retries, timeouts and concurrency (AFTERHOURS_NOTIFY_*). */
  notify?: NotifySettings;
  /** The hub's address as people and offices reach it (AFTERHOURS_PUBLIC_URL): links in messages, the agent install command. */
  publicUrl?: string | undefined;
  /** Whether this process runs the alert and escalation workers (AFTERHOURS_ALERT_WORKERS=off to stop them). */
  alertWorkers?: boolean;
  /** The agent builds served under /agent/ (AFTERHOURS_AGENT_RELEASE_DIR, default apps/agent/release). */
  agentReleaseDir: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv, overrides: Partial<HubConfig> = {}): HubConfig {
  return {
    port: Number(env.PORT ?? 8080),
    host: env.HOST ?? '0.0.0.0',
    dataDir: env.AFTERHOURS_DATA_DIR ?? './data',
    databaseUrl: env.DATABASE_URL || undefined,
    secretKey: env.AFTERHOURS_SECRET_KEY || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    secureCookies: env.AFTERHOURS_SECURE_COOKIES === 'true',
    trustProxy: env.AFTERHOURS_TRUST_PROXY === 'true',
    webRoot: env.AFTERHOURS_WEB_ROOT || defaultWebRoot(),
    agentTimeoutS: positiveSeconds(env.AFTERHOURS_AGENT_TIMEOUT_S, 90, 'AFTERHOURS_AGENT_TIMEOUT_S'),
    monitoring: {
      resultRetentionDays: positiveNumber(
        env.AFTERHOURS_RESULT_RETENTION_DAYS,
        7,
        'AFTERHOURS_RESULT_RETENTION_DAYS',
        'days',
      ),
      minuteRollupRetentionDays: positiveNumber(
        env.AFTERHOURS_MINUTE_ROLLUP_RETENTION_DAYS,
        90,
        'AFTERHOURS_MINUTE_ROLLUP_RETENTION_DAYS',
        'days',
      ),
      rollupRetentionDays: positiveNumber(
        env.AFTERHOURS_ROLLUP_RETENTION_DAYS,
        730,
        'AFTERHOURS_ROLLUP_RETENTION_DAYS',
        'days',
      ),
      probeConcurrency: Math.floor(
        positiveNumber(env.AFTERHOURS_PROBE_CONCURRENCY, 100, 'AFTERHOURS_PROBE_CONCURRENCY', 'checks'),
      ),
      probeEnabled: env.AFTERHOURS_PROBE !== 'off',
    },
    heartbeats: heartbeatSettingsFromEnv(env),
    notify: notifySettingsFromEnv(env),
    publicUrl: parsePublicUrl(env.AFTERHOURS_PUBLIC_URL),
    alertWorkers: env.AFTERHOURS_ALERT_WORKERS !== 'off',
    agentReleaseDir: env.AFTERHOURS_AGENT_RELEASE_DIR || defaultAgentReleaseDir(),
    ...overrides,
  };
}

function positiveSeconds(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of seconds (got "${value}")`);
  return n;
}

function positiveNumber(value: string | undefined, fallback: number, name: string, unit: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1) throw new Error(`${name} must be a number of ${unit}, at least 1 (got "${value}")`);
  return n;
}

/** An http(s) URL without query, fragment or trailing slash; it is put into a shell script, so no quotes or spaces. */
export function parsePublicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`AFTERHOURS_PUBLIC_URL must be a URL such as https://desk.example.com (got "${value}")`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username)
    throw new Error(`AFTERHOURS_PUBLIC_URL must be http(s)://host[:port][/path], nothing more (got "${value}")`);
  return url.toString().replace(/\/+$/, '');
}

function defaultAgentReleaseDir(): string {
  return fileURLToPath(new URL('../../agent/release', import.meta.url));
}

function defaultWebRoot(): string {
  return fileURLToPath(new URL('../../web/dist', import.meta.url));
}

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACTED_LOG_PATHS, censor: '***' } });
}

/** Open the database the config names and bring its schema up to date. */
export async function openMigratedDatabase(config: Pick<HubConfig, 'databaseUrl' | 'dataDir'>): Promise<Db> {
  const db = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

export function loadSecrets(config: Pick<HubConfig, 'secretKey' | 'dataDir'>): SecretBox {
  if (!config.secretKey) privateDirectory(config.dataDir);
  return SecretBox.load({ envKey: config.secretKey, keyFile: join(config.dataDir, 'secret.key') });
}

export interface Hub {
  app: ZodApp;
  ctx: AppContext;
  close(): Promise<void>;
}

export async function startHub(config: HubConfig): Promise<Hub> {
  const log = createLogger(config.logLevel);
  const db = await openMigratedDatabase(config);
  const settings: HubSettings = {
    ...DEFAULT_SETTINGS,
    secureCookies: config.secureCookies,
    agentTimeoutMs: config.agentTimeoutS * 1000,
    monitoring: config.monitoring,
    ...(config.heartbeats ? { heartbeats: config.heartbeats } : {}),
    ...(config.notify ? { notify: config.notify } : {}),
    publicUrl:
      config.publicUrl ??
      `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`,
    alerts: { ...DEFAULT_ALERT_SETTINGS, workersEnabled: config.alertWorkers !== false },
    publicUrlGuessed: !config.publicUrl,
    agentRelease: loadAgentRelease(config.agentReleaseDir),
  };
  const ctx: AppContext = { db, clock: systemClock, bus: new EventBus(), secrets: loadSecrets(config), log, settings };
  ctx.agentLink = new AgentConnections(ctx.bus, log);
  const sealed = await sealClearSecrets(ctx);
  if (sealed.checks || sealed.auditEntries)
    log.info(sealed, 'secrets of checks stored in clear by an older hub are now encrypted and masked');
  const fanout =
    db.dialect.name === 'postgres' && config.databaseUrl
      ? new PostgresFanout(
          config.databaseUrl,
          ctx.bus,
          async (channel, payload) => {
            await sql`select pg_notify(${channel}, ${payload})`.execute(db.kysely);
          },
          log,
        )
      : undefined;
  await fanout?.start();
  const app = await buildApp(ctx, { webRoot: config.webRoot, trustProxy: config.trustProxy });
  await app.listen({ port: config.port, host: config.host });
  const agentWatchdog = new AgentWatchdog(ctx, { timeoutMs: settings.agentTimeoutMs });
  agentWatchdog.start();
  const monitoring = startMonitoringWorkers(ctx);
  const heartbeats = await startHeartbeatWorkers(ctx);
  await ensureVapidKeys(ctx);
  const outbox = new OutboxWorker(ctx);
  if (settings.notify?.workerEnabled !== false) await outbox.start();
  const alerting = startAlertWorkers(ctx);
  const oncallGaps = new OncallGapWorker(ctx);
  oncallGaps.start();
  const checklists = new ChecklistScheduler(ctx);
  checklists.start();
  log.info({ database: db.dialect.describe, port: config.port }, 'Afterhours hub is running');
  return {
    app,
    ctx,
    async close() {
      await agentWatchdog.stop();
      await monitoring.stop();
      await heartbeats.stop();
      await outbox.stop();
      await alerting.stop();
      await oncallGaps.stop();
      await checklists.stop();
      await app.close();
      await fanout?.stop();
      await db.close();
    },
  };
}
