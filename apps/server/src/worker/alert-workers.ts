import type { AppContext } from '../context.js';
import { DEFAULT_ALERT_SETTINGS } from '../context.js';
import { AlertWorker } from './alert-worker.js';
import { EscalationWorker } from './escalation-worker.js';

/** The hub's alerting: the alert worker (state changes → alerts) and the escalation worker (due steps → pages). */
export function startAlertWorkers(ctx: AppContext): {
  alerts: AlertWorker;
  escalations: EscalationWorker;
  stop(): Promise<void>;
} {
  const alerts = new AlertWorker(ctx);
  const escalations = new EscalationWorker(ctx);
  alerts.onPaging = () => escalations.wake();
  if ((ctx.settings.alerts ?? DEFAULT_ALERT_SETTINGS).workersEnabled) {
    alerts.start();
    escalations.start();
  }
  return {
    alerts,
    escalations,
    async stop() {
      await alerts.stop();
      await escalations.stop();
    },
  };
}
