import type { AppContext } from '../context.js';
import { DEFAULT_HEARTBEAT_SETTINGS } from '../domain/heartbeats/settings.js';
import { startEmailReports } from '../integrations/email-reports/index.js';
import { HeartbeatDetector } from './heartbeat-detector.js';
import { HeartbeatRetention } from './heartbeat-retention.js';

/** The hub's heartbeat work: detection of late and down, ping retention, and the optional SMTP listener. */
export async function startHeartbeatWorkers(
  ctx: AppContext,
): Promise<{ detector: HeartbeatDetector; stop(): Promise<void> }> {
  const settings = ctx.settings.heartbeats ?? DEFAULT_HEARTBEAT_SETTINGS;
  const detector = new HeartbeatDetector(ctx);
  const retention = new HeartbeatRetention(ctx, settings.pingRetentionDays);
  if (settings.detectorEnabled) {
    detector.start();
    retention.start();
  }
  const email = settings.smtp.port !== null ? await startEmailReports(ctx, settings.smtp) : null;
  return {
    detector,
    async stop() {
      await email?.close();
      await retention.stop();
      await detector.stop();
    },
  };
}
