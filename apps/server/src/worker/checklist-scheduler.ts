import type { AppContext } from '../context.js';
import { runAutomaticSteps } from '../domain/checklists/runs.js';
import { reportScheduledRun, startScheduledRun } from '../domain/checklists/scheduled.js';
import { DueTimer } from './due-timer.js';
import type { Timers } from './timers.js';

/** An automatic step still "running" this long after it started was left by a hub that stopped: judge it again. */
const STALE_STEP_MS = 2 * 60_000;

export interface ChecklistSchedulerOptions {
  timers?: Timers;
  /** Longest sleep when nothing is due sooner (default 1 min; another process may have added a schedule). */
  maxSleepMs?: number;
}

/**
 * Runs checklists when their schedule is due (cron in the site's time zone), and finishes the automatic
 * part of runs a stopped hub left behind. Every hub process may run it: a due schedule is claimed by a
 * conditional update (see startScheduledRun) and a result reported once (reportScheduledRun).
 */
export class ChecklistScheduler {
  private readonly timer: DueTimer;
  private readonly inFlight = new Map<string, Promise<void>>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly ctx: AppContext,
    options: ChecklistSchedulerOptions = {},
  ) {
    this.timer = new DueTimer(() => this.runDue().then(() => this.nextDueAt()), {
      now: () => ctx.clock.now().getTime(),
      ...(options.timers ? { timers: options.timers } : {}),
      maxSleepMs: options.maxSleepMs ?? 60_000,
      onError: (error) => ctx.log.error({ err: error }, 'checklist scheduler failed'),
    });
  }

  start(): void {
    this.unsubscribe = this.ctx.bus.subscribe((event) => {
      if (event.entity === 'checklist_schedule') this.timer.wake();
    });
    this.timer.start();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.timer.stop();
    await this.settled();
  }

  /** Resolves when every run this process started has finished its automatic part and been reported. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()]);
  }

  /** Starts every due schedule's run and picks up abandoned work; answers the runs started here. */
  async runDue(): Promise<string[]> {
    const db = this.ctx.db.kysely;
    const now = this.ctx.clock.now();
    const due = await db
      .selectFrom('checklist_schedules')
      .selectAll()
      .where('enabled', '=', 1)
      .where('next_run_at', '<=', now.toISOString())
      .orderBy('next_run_at')
      .limit(100)
      .execute();
    const started: string[] = [];
    for (const schedule of due) {
      const runId = await startScheduledRun(this.ctx, schedule);
      if (runId) {
        started.push(runId);
        this.follow(runId, true);
      }
    }
    const stale = await db
      .selectFrom('checklist_run_steps')
      .innerJoin('checklist_runs', 'checklist_runs.id', 'checklist_run_steps.run_id')
      .select(['checklist_run_steps.run_id', 'checklist_runs.schedule_id'])
      .distinct()
      .where('checklist_run_steps.status', '=', 'running')
      .where('checklist_run_steps.started_at', '<=', new Date(now.getTime() - STALE_STEP_MS).toISOString())
      .execute();
    for (const row of stale) this.follow(row.run_id, row.schedule_id !== null);
    const unreported = await db
      .selectFrom('checklist_runs')
      .select('id')
      .where('schedule_id', 'is not', null)
      .where('reported_at', 'is', null)
      .where('started_at', '<=', new Date(now.getTime() - STALE_STEP_MS).toISOString())
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('checklist_run_steps')
              .select('id')
              .whereRef('checklist_run_steps.run_id', '=', 'checklist_runs.id')
              .where('checklist_run_steps.status', '=', 'running'),
          ),
        ),
      )
      .execute();
    for (const row of unreported) this.follow(row.id, true);
    return started;
  }

  /** Runs a run's automatic steps (and reports a scheduled run) in the background, once per run here. */
  private follow(runId: string, report: boolean): void {
    if (this.inFlight.has(runId)) return;
    const work = runAutomaticSteps(this.ctx, runId)
      .then(async () => {
        if (report) await reportScheduledRun(this.ctx, runId);
      })
      .catch((error: unknown) => this.ctx.log.error({ err: error, runId }, 'scheduled checklist run failed'))
      .finally(() => this.inFlight.delete(runId));
    this.inFlight.set(runId, work);
  }

  private async nextDueAt(): Promise<number | null> {
    const row = await this.ctx.db.kysely
      .selectFrom('checklist_schedules')
      .select((eb) => eb.fn.min('next_run_at').as('due'))
      .where('enabled', '=', 1)
      .executeTakeFirst();
    return row?.due ? Date.parse(String(row.due)) : null;
  }
}
