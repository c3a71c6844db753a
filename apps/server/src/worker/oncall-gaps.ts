import type { AppContext } from '../context.js';
import type { OncallGapsTable, SchedulesTable } from '../db/schema.js';
import type { Kdb } from '../db/database.js';
import { raiseGapAlert } from '../domain/oncall/gap-alert.js';
import { checkScheduleGaps } from '../domain/oncall/gaps.js';
import { DueTimer } from './due-timer.js';
import type { Timers } from './timers.js';

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
  private unsubscribe: (() => void) | undefined;
  private readonly timer: DueTimer;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: OncallGapWorkerOptions = {},
  ) {
    this.timer = new DueTimer(
      async () => {
        await this.runDue();
        return (await this.nextDueAt())?.getTime() ?? null;
      },
      {
        now: () => ctx.clock.now().getTime(),
        ...(options.timers ? { timers: options.timers } : {}),
        maxSleepMs: options.maxSleepMs ?? 6 * 3600_000,
        onError: (error) => ctx.log.error({ err: error }, 'on-call gap worker failed'),
      },
    );
  }

  start(): void {
    this.unsubscribe = this.ctx.bus.subscribe((event) => {
      if (event.entity === 'schedule') this.timer.wake();
    });
    this.timer.start();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.timer.stop();
  }

  /** When the worker next runs (ms), or null while it runs or is stopped. */
  get nextRunAt(): number | null {
    return this.timer.nextRunAt;
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
