/** How the outbox sends: set by AFTERHOURS_NOTIFY_* (see configFromEnv), defaults below. */
export interface NotifySettings {
  /** Whether this process runs the outbox worker. */
  workerEnabled: boolean;
  /** Attempts before a message is given up. */
  maxAttempts: number;
  /** First retry after about this long, doubling each time (with jitter), up to retryCapMs. */
  retryBaseMs: number;
  retryCapMs: number;
  /** Every call to a channel's service gives up after this long. */
  sendTimeoutMs: number;
  /** Messages handed to channels at once by one process. */
  concurrency: number;
}

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = {
  workerEnabled: true,
  maxAttempts: 5,
  retryBaseMs: 20_000,
  retryCapMs: 10 * 60_000,
  sendTimeoutMs: 15_000,
  concurrency: 32,
};

export function notifySettingsFromEnv(env: NodeJS.ProcessEnv): NotifySettings {
  const n = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
    return value;
  };
  return {
    workerEnabled: env.AFTERHOURS_NOTIFY_WORKER !== 'off',
    maxAttempts: Math.floor(n('AFTERHOURS_NOTIFY_MAX_ATTEMPTS', DEFAULT_NOTIFY_SETTINGS.maxAttempts)),
    retryBaseMs: n('AFTERHOURS_NOTIFY_RETRY_S', DEFAULT_NOTIFY_SETTINGS.retryBaseMs / 1000) * 1000,
    retryCapMs: DEFAULT_NOTIFY_SETTINGS.retryCapMs,
    sendTimeoutMs: n('AFTERHOURS_NOTIFY_TIMEOUT_S', DEFAULT_NOTIFY_SETTINGS.sendTimeoutMs / 1000) * 1000,
    concurrency: Math.floor(n('AFTERHOURS_NOTIFY_CONCURRENCY', DEFAULT_NOTIFY_SETTINGS.concurrency)),
  };
}

/** A claimed message counts as abandoned (its process died) this long after the claim. */
export function leaseMs(settings: NotifySettings): number {
  return settings.sendTimeoutMs * 2 + 5_000;
}

/** Delay before retry number `attempt` (1 = after the first failure): exponential, with full jitter in its upper half. */
export function retryDelayMs(settings: NotifySettings, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.retryCapMs, settings.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
