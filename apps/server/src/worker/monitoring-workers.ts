import type { AppContext } from '../context.js';
import { ProbeScheduler } from './probe-scheduler.js';
import { RetentionJob } from './retention.js';

/** The hub's monitoring work: the built-in probe and the retention job. Every hub process may run both. */
export function startMonitoringWorkers(ctx: AppContext): { probe: ProbeScheduler; stop(): Promise<void> } {
  const probe = new ProbeScheduler(ctx);
  const retention = new RetentionJob(ctx);
  if (ctx.settings.monitoring.probeEnabled) {
    probe.start();
    retention.start();
  }
  return {
    probe,
    async stop() {
      await retention.stop();
      await probe.stop();
    },
  };
}
