import type { AppContext } from '../context.js';
import { DEFAULT_ALERT_SETTINGS } from '../context.js';
import { AlertWorker } from './alert-worker.js';
import { EscalationWorker } from './escalation-worker.js';
import { beatHub } from '../domain/hub-health/heartbeats.js';
import { startHubHeartbeatWatch } from './hub-heartbeat-watch.js';

/**
 * The hub's alerting: the alert worker (state changes → alerts), the escalation worker (due steps → pages),
 * and the watch on the escalation engine's own heartbeat.
 */
export function startAlertWorkers(ctx: AppContext): {
  alerts: AlertWorker;
  escalations: EscalationWorker;
  stop(): Promise<void>;
} {
  const alerts = new AlertWorker(ctx);
  const escalations = new EscalationWorker(ctx);
  alerts.onPaging = () => escalations.wake();
  // The engine's own heartbeat, so a stuck engine is itself noticed (docs/adr/0011-hub-heartbeats.md).
  escalations.onPass = (now) => beatHub(ctx.db.kysely, 'escalation-engine', now);
  let watch: { stop(): Promise<void> } | null = null;
  if ((ctx.settings.alerts ?? DEFAULT_ALERT_SETTINGS).workersEnabled) {
    alerts.start();
    escalations.start();
    watch = startHubHeartbeatWatch(ctx);
  }
  return {
    alerts,
    escalations,
    async stop() {
      await watch?.stop();
      await alerts.stop();
      await escalations.stop();
    },
  };
}
