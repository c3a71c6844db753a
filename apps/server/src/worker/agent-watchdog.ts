import type { AppContext } from '../context.js';
import { addMs, isoNow } from '../lib/clock.js';
import { markSiteUnreachable } from '../domain/monitoring/reachability.js';
import { DueTimer } from './due-timer.js';

export interface AgentWatchdogOptions {
  /** An online agent unheard for this long becomes unreachable. */
  timeoutMs: number;
  /** Least time between two looks (default: a third of the timeout, between 1 and 15 s). */
  everyMs?: number;
  /**
   * Nothing is marked until this process has run this long (default: the timeout), so that a hub
   * coming back after an outage gives its agents time to dial in before calling their sites dark.
   */
  graceMs?: number;
}

/**
 * Marks silent agents unreachable: each becomes one root state change for its site (and its checks
 * unknown because of it, by markSiteUnreachable). Every hub process may run it: the change of
 * `agents.status` from online is a conditional UPDATE, so exactly one process records each silence.
 */
export class AgentWatchdog {
  private readonly due: DueTimer;
  private unsubscribe: () => void = () => {};
  private readonly startedAt: number;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: AgentWatchdogOptions,
  ) {
    this.startedAt = ctx.clock.now().getTime();
    const every = options.everyMs ?? Math.min(15_000, Math.max(1000, Math.floor(options.timeoutMs / 3)));
    this.due = new DueTimer(
      async () => {
        await this.sweep();
        return this.nextDue();
      },
      {
        now: () => ctx.clock.now().getTime(),
        maxSleepMs: options.timeoutMs,
        minGapMs: every,
        onError: (error) => ctx.log.error({ err: error }, 'agent watchdog: sweep failed'),
      },
    );
  }

  /** Sleeps until the agent heard from longest ago would be silent too long; an agent's event wakes it. */
  start(): void {
    this.unsubscribe = this.ctx.bus.subscribe((event) => {
      if (event.entity === 'agent') this.due.wake();
    });
    this.due.start(this.graceMs());
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await this.due.stop();
  }

  private graceMs(): number {
    return this.options.graceMs ?? this.options.timeoutMs;
  }

  /** When the online agent heard from longest ago becomes silent too long (ms), or null with none online. */
  private async nextDue(): Promise<number | null> {
    const graceEnds = this.startedAt + this.graceMs();
    const oldest = await this.ctx.db.kysely
      .selectFrom('agents')
      .select('last_seen_at')
      .where('status', '=', 'online')
      .orderBy('last_seen_at')
      .limit(1)
      .executeTakeFirst();
    if (!oldest) return null;
    const silentAt = oldest.last_seen_at ? Date.parse(oldest.last_seen_at) + this.options.timeoutMs + 1 : 0;
    return Math.max(silentAt, graceEnds);
  }

  /** One look: returns how many agents this process marked unreachable. */
  async sweep(): Promise<number> {
    const { ctx } = this;
    const nowMs = ctx.clock.now().getTime();
    if (nowMs - this.startedAt < this.graceMs()) return 0;
    const now = isoNow(ctx.clock);
    const cutoff = addMs(now, -this.options.timeoutMs);
    const silent = await ctx.db.kysely
      .selectFrom('agents')
      .select(['id', 'site_id', 'last_seen_at'])
      .where('status', '=', 'online')
      .where((eb) => eb.or([eb('last_seen_at', '<', cutoff), eb('last_seen_at', 'is', null)]))
      .orderBy('last_seen_at')
      .limit(500)
      .execute();
    let marked = 0;
    for (const agent of silent) {
      const claimed = await ctx.db.kysely.transaction().execute(async (trx) => {
        const claim = await trx
          .updateTable('agents')
          .set({ status: 'unreachable', status_since: now })
          .where('id', '=', agent.id)
          .where('status', '=', 'online')
          .where((eb) => eb.or([eb('last_seen_at', '<', cutoff), eb('last_seen_at', 'is', null)]))
          .executeTakeFirst();
        if (Number(claim.numUpdatedRows) !== 1) return undefined;
        return markSiteUnreachable(ctx, agent.site_id, agent.id, now, { db: trx });
      });
      if (!claimed) continue;
      for (const event of claimed.events) ctx.bus.publish(event);
      marked += 1;
      ctx.log.warn(
        { agentId: agent.id, siteId: agent.site_id, lastSeenAt: agent.last_seen_at },
        'site agent unheard for too long: its site is unreachable',
      );
    }
    return marked;
  }
}
