import type { AppContext } from '../context.js';
import type { OncallGapsTable, SchedulesTable } from '../db/schema.js';
import type { Kdb } from '../db/database.js';
import { raiseGapAlert } from '../domain/oncall/gap-alert.js';
import { checkScheduleGaps } from '../domain/oncall/gaps.js';
import { realTimers, type Timers } from './timers.js';

/** Raises the alert for a gap found a day ahead (in the worker's transaction); answers the alert's id. */
export type GapAlerter = (trx: Kdb, gap: OncallGapsTable, schedule: SchedulesTable) => Promise<string | null>;

export interface OncallGapWorkerOptions {
  timers?: Timers;
  /** How a gap is raised (default: an alert through raiseSystemAlert). */
  alert?: GapAlerter;
  /** Longest sleep, in case the clock jumps (default 6 h). */
  maxSleepMs?: number;
  batch?: number;
}

/**
 * Looks for on-call gaps a day ahead. Each schedule carries `gap_check_at` (indexed): when a new gap
 * could next come within a day. The worker sleeps until the earliest of them, rather than ticking;
 * any edit of a schedule (here or in another hub process, through the bus) sets it to now and wakes
 * the worker. Several hub processes may run it: on PostgreSQL each claims due schedules with FOR
 * UPDATE SKIP LOCKED, the unique (schedule, start) of a gap row keeps each gap alerted once.
 */
export class OncallGapWorker {
  private timer: unknown;
  private unsubscribe: (() => void) | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private busy = false;
  private again = false;
  private stopped = true;
  private readonly timers: Timers;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: OncallGapWorkerOptions = {},
  ) {
    this.timers = options.timers ?? realTimers;
  }

  start(): void {
    this.stopped = false;
    this.unsubscribe = this.ctx.bus.subscribe((event) => {
      if (event.entity === 'schedule') this.wake();
    });
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.timers.clearTimeout(this.timer);
    await this.running;
  }

  /** Run now (coalescing wake-ups that arrive while running), then sleep until the next due time. */
  wake(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.timers.clearTimeout(this.timer);
    this.running = this.runDue()
      .then(() => this.nextDueAt())
      .then((due) => this.sleepUntil(due))
      .catch((error: unknown) => {
        this.ctx.log.error({ err: error }, 'on-call gap worker failed; trying again in a minute');
        this.sleepUntil(new Date(this.ctx.clock.now().getTime() + 60_000));
      })
      .finally(() => {
        this.busy = false;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private sleepUntil(due: Date | null): void {
    if (this.stopped) return;
    const max = this.options.maxSleepMs ?? 6 * 3600_000;
    const ms = due ? Math.min(max, Math.max(0, due.getTime() - this.ctx.clock.now().getTime())) : max;
    this.timer = this.timers.setTimeout(() => this.wake(), ms);
  }

  /** The earliest time any schedule is due, or null without schedules. */
  async nextDueAt(): Promise<Date | null> {
    const row = await this.ctx.db.kysely
      .selectFrom('schedules')
      .select((eb) => eb.fn.min('gap_check_at').as('due'))
      .executeTakeFirst();
    return row?.due ? new Date(row.due) : null;
  }

  /** Check every schedule due by now; answers the gaps recorded. */
  async runDue(): Promise<OncallGapsTable[]> {
    const all: OncallGapsTable[] = [];
    for (;;) {
      const { seen, found } = await this.runBatch();
      all.push(...found);
      if (seen < (this.options.batch ?? 50)) return all;
    }
  }

  private async runBatch(): Promise<{ seen: number; found: OncallGapsTable[] }> {
    const { ctx } = this;
    const now = ctx.clock.now();
    const iso = now.toISOString();
    return ctx.db.kysely.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('schedules')
        .selectAll()
        .where('gap_check_at', '<=', iso)
        .orderBy('gap_check_at')
        .limit(this.options.batch ?? 50);
      if (ctx.db.dialect.name === 'postgres') q = q.forUpdate().skipLocked();
      const due = await q.execute();
      const found: OncallGapsTable[] = [];
      for (const schedule of due) {
        const check = await checkScheduleGaps(trx, schedule, now);
        for (const gap of check.found) {
          const alertId = await (this.options.alert ?? raiseGapAlert)(trx, gap, schedule);
          if (alertId)
            await trx.updateTable('oncall_gaps').set({ alert_id: alertId }).where('id', '=', gap.id).execute();
          ctx.log.warn(
            { scheduleId: schedule.id, start: gap.start_at, end: gap.end_at },
            `nobody is on call in "${schedule.name}" from ${gap.start_at} to ${gap.end_at}`,
          );
          found.push({ ...gap, alert_id: alertId });
        }
        // Conditional: an edit made meanwhile (which set it to now) is not overwritten.
        await trx
          .updateTable('schedules')
          .set({ gap_check_at: check.nextCheckAt.toISOString() })
          .where('id', '=', schedule.id)
          .where('gap_check_at', '=', schedule.gap_check_at)
          .execute();
      }
      return { seen: due.length, found };
    });
  }
}
