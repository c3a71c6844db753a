import type { AppContext } from '../context.js';
import { watchHubHeartbeats } from '../domain/hub-health/heartbeats.js';
import { DueTimer } from './due-timer.js';
import type { Timers } from './timers.js';

/**
 * Watches the hub's own heartbeats: sleeps until the next one would be late (or a minute), then raises or
 * clears their alerts (domain/hub-health). Every hub process runs one; the alert is raised once.
 */
export function startHubHeartbeatWatch(ctx: AppContext, options: { timers?: Timers } = {}): { stop(): Promise<void> } {
  const timer = new DueTimer(() => watchHubHeartbeats(ctx), {
    now: () => ctx.clock.now().getTime(),
    ...(options.timers ? { timers: options.timers } : {}),
    maxSleepMs: 60_000,
    minGapMs: 1_000,
    onError: (error) => ctx.log.error({ err: error }, 'hub heartbeat watch failed'),
  });
  timer.start(60_000);
  return { stop: () => timer.stop() };
}
