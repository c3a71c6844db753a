import type { AppContext } from '../context.js';
import { DEFAULT_ALERT_SETTINGS } from '../context.js';
import { claimDueEscalations } from '../db/dialects/alert-claim.js';
import { isoNow } from '../lib/clock.js';
import { runStep } from '../domain/escalation/engine.js';
import { wakeOutbox } from '../domain/escalation/ports.js';
import { DueTimer } from './due-timer.js';

/**
 * Runs escalation steps when they fall due. Its timers are rows (`escalations.due_at`, indexed), claimed
 * in a transaction that also writes the step's pages, so a hub killed mid-escalation runs the step again
 * on restart and pageUser's idempotency keeps anything from being sent twice. Sleeps until the next due
 * time (or `escalationIdleMs`, or a wake from the alert worker).
 */
export class EscalationWorker {
  private readonly timer: DueTimer;
  private unsubscribe: (() => void) | undefined;
  /** Called after every pass (the hub's own heartbeat for this engine). */
  onPass: (now: string) => Promise<void> = async () => {};

  constructor(
    private readonly ctx: AppContext,
    private readonly batch = 50,
  ) {
    const settings = ctx.settings.alerts ?? DEFAULT_ALERT_SETTINGS;
    this.timer = new DueTimer(() => this.pass(), {
      now: () => ctx.clock.now().getTime(),
      maxSleepMs: settings.escalationIdleMs,
      onError: (error) => ctx.log.error({ err: error }, 'escalation worker: pass failed'),
    });
  }

  start(): void {
    // Another process's alert worker opened an alert (PostgreSQL carries the event here).
    this.unsubscribe = this.ctx.bus.subscribe((event) => {
      if (event.entity === 'alert' || event.entity === 'incident') this.timer.wake();
    });
    this.timer.start();
  }

  wake(): void {
    this.timer.wake();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.timer.stop();
  }

  private async pass(): Promise<number | null> {
    await this.runDue();
    await this.onPass(isoNow(this.ctx.clock));
    const next = await this.ctx.db.kysely
      .selectFrom('escalations')
      .select((eb) => eb.fn.min('due_at').as('due'))
      .where('state', '=', 'active')
      .executeTakeFirst();
    return next?.due ? Date.parse(String(next.due)) : null;
  }

  /** Runs every step due now; answers how many ran. */
  async runDue(): Promise<number> {
    const { ctx } = this;
    let total = 0;
    for (;;) {
      const now = isoNow(ctx.clock);
      const ran = await ctx.db.kysely.transaction().execute(async (trx) => {
        const due = await claimDueEscalations(trx, ctx.db.dialect.name, now, this.batch);
        for (const row of due) await runStep(trx, ctx, row, now);
        return due.length;
      });
      total += ran;
      if (ran) wakeOutbox(ctx.bus);
      if (ran < this.batch) return total;
    }
  }
}
