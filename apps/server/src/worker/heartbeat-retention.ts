import type { AppContext } from '../context.js';
import { addMs, isoNow } from '../lib/clock.js';
import { MAX_RUN_MS } from '../domain/heartbeats/record-pings.js';
import { DueTimer } from './due-timer.js';

/**
 * Deletes pings and e-mails older than the retention (90 days by default) and runs left open past the
 * 72-hour pairing window, in bounded batches so no transaction grows large. Hourly; any process may run it.
 */
export class HeartbeatRetention {
  private due: DueTimer | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly retentionDays: number,
  ) {}

  start(everyMs = 3600_000): void {
    const now = () => this.ctx.clock.now().getTime();
    this.due = new DueTimer(
      async () => {
        await this.prune();
        return now() + everyMs;
      },
      {
        now,
        maxSleepMs: everyMs,
        onError: (error) => this.ctx.log.error({ err: error }, 'heartbeat retention failed'),
      },
    );
    this.due.start(everyMs);
  }

  async stop(): Promise<void> {
    await this.due?.stop();
  }

  async prune(batch = 5000): Promise<number> {
    const db = this.ctx.db.kysely;
    const now = isoNow(this.ctx.clock);
    const cutoff = addMs(now, -this.retentionDays * 86_400_000);
    let deleted = 0;
    for (;;) {
      const old = await db
        .selectFrom('heartbeat_pings')
        .select(['heartbeat_id', 'n'])
        .where('at', '<', cutoff)
        .limit(batch)
        .execute();
      if (!old.length) break;
      for (const part of chunk(old, 250)) {
        await db
          .deleteFrom('heartbeat_pings')
          .where((eb) => eb.or(part.map((p) => eb.and([eb('heartbeat_id', '=', p.heartbeat_id), eb('n', '=', p.n)]))))
          .execute();
      }
      deleted += old.length;
      if (old.length < batch) break;
    }
    await db.deleteFrom('heartbeat_runs').where('started_at', '<', addMs(now, -MAX_RUN_MS)).execute();
    return deleted;
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
