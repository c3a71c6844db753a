import { setMaxListeners } from 'node:events';
import { startTickDelay } from '@afterhours/checks';
import type { AppContext } from '../context.js';
import { nextDueCheck } from '../db/dialects/next-due-check.js';
import type { ClaimedCheck } from '../db/dialects/types.js';
import { probeRunnerOf, type ProbeRunner } from '../domain/monitoring/probe-runner.js';
import { DueTimer } from './due-timer.js';
import { firstRunAt } from '../lib/check-schedule.js';
import { ResultWriter } from './result-writer.js';
import { realTimers, type Timers } from './timers.js';

export interface ProbeSchedulerOptions {
  /** Checks run at once, at most (so one slow target cannot hold up the rest). */
  concurrency: number;
  /**
   * How far ahead due checks are claimed (each is then started on time by a timer), and so how often the
   * probe looks while checks are due; with none due soon it sleeps until the next one is.
   */
  pollMs: number;
  /** Longest sleep with nothing due: the safety net for checks changed where no event tells. */
  maxSleepMs: number;
  /** Most checks claimed per poll. */
  claimLimit: number;
  timers: Timers;
  runner: ProbeRunner;
  writer: ResultWriter;
  /** Called with each run's lateness behind its schedule, in ms (for metrics and the benchmark). */
  onStart?: (latenessMs: number) => void;
}

/**
 * The built-in probe: claims hub checks by their indexed next_run_at, starts each at its time, runs at
 * most `concurrency` at once and never two runs of one check, and hands results to a batching writer.
 */
export class ProbeScheduler {
  private readonly options: ProbeSchedulerOptions;
  private readonly queue: ClaimedCheck[] = [];
  private readonly queued = new Set<string>();
  private readonly timers = new Set<unknown>();
  private readonly due: DueTimer;
  private unsubscribe: () => void = () => {};
  private active = 0;
  private stopped = true;
  private readonly abort = new AbortController();
  readonly stats = { started: 0, skippedRunning: 0, claimed: 0 };

  constructor(
    private readonly ctx: AppContext,
    options: Partial<ProbeSchedulerOptions> = {},
  ) {
    const timers = options.timers ?? realTimers;
    setMaxListeners(0, this.abort.signal); // every running check listens to it
    this.options = {
      concurrency: ctx.settings.monitoring.probeConcurrency,
      pollMs: 1000,
      maxSleepMs: 60_000,
      claimLimit: 2000,
      runner: probeRunnerOf(ctx),
      writer: new ResultWriter(ctx, timers),
      ...options,
      timers,
    };
    this.due = new DueTimer(() => this.round(), {
      now: () => this.ctx.clock.now().getTime(),
      timers,
      maxSleepMs: this.options.maxSleepMs,
      minGapMs: this.options.pollMs,
    });
  }

  get writer(): ResultWriter {
    return this.options.writer;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // A check added, changed, resumed or run now may be due before the probe would wake.
    this.unsubscribe = this.ctx.bus.subscribe((event) => {
      if (event.entity === 'check' && event.action !== 'deleted') this.due.wake();
    });
    this.due.start();
  }

  /** Stops claiming, cancels running checks, and writes the results already in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    for (const t of this.timers) this.options.timers.clearTimeout(t);
    this.timers.clear();
    this.queue.length = 0;
    this.queued.clear();
    this.abort.abort(new Error('the hub is stopping'));
    await this.due.stop();
    await this.options.writer.flush();
  }

  /** One claim round and when the next is due: at once after a full claim, else a poll ahead of the next due check. */
  private async round(): Promise<number | null> {
    const claimed = await this.poll();
    const nowMs = this.ctx.clock.now().getTime();
    if (claimed >= this.options.claimLimit) return nowMs;
    const next = await nextDueCheck(this.ctx.db.kysely).catch(() => new Date(nowMs).toISOString());
    return next === null ? null : Math.max(nowMs + this.options.pollMs, Date.parse(next) - this.options.pollMs);
  }

  /** One claim round; exported for tests that drive the timers by hand. */
  async poll(): Promise<number> {
    let claimed: ClaimedCheck[] = [];
    try {
      await this.scheduleNewChecks();
      const now = this.ctx.clock.now();
      const horizon = new Date(now.getTime() + this.options.pollMs).toISOString();
      claimed = await this.ctx.db.dialect.claimDueChecks(
        this.ctx.db.kysely,
        now.toISOString(),
        horizon,
        this.options.claimLimit,
      );
      this.stats.claimed += claimed.length;
      this.startOnTicks(claimed, now.getTime());
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'the probe could not claim due checks; trying again');
    }
    return claimed.length;
  }

  /** Hub checks that have no next run yet (added by other means than the API) get one, spread by their id. */
  private async scheduleNewChecks(): Promise<void> {
    const fresh = await this.ctx.db.kysely
      .selectFrom('checks')
      .select(['id', 'interval_s'])
      .where('probe', '=', 'hub')
      .where('next_run_at', 'is', null)
      .limit(1000)
      .execute();
    const now = this.ctx.clock.now();
    for (const c of fresh) {
      const next = firstRunAt(c.id, c.interval_s, now);
      await this.ctx.db.kysely.transaction().execute(async (trx) => {
        const set = await trx
          .updateTable('checks')
          .set({ next_run_at: next })
          .where('id', '=', c.id)
          .where('next_run_at', 'is', null)
          .executeTakeFirst();
        if (set.numUpdatedRows > 0n) await this.ctx.db.dialect.placeCheck(trx, c.id, next);
      });
    }
  }

  /**
   * Starts each claimed check at its time, rounded up to a whole start tick (START_TICK_MS in
   * @afterhours/checks): one timer per tick instead of one per check, so that the event loop wakes a few
   * times a second rather than once per check.
   */
  private startOnTicks(claimed: ClaimedCheck[], nowMs: number): void {
    const ticks = new Map<number, ClaimedCheck[]>();
    for (const check of claimed) {
      const delayMs = Date.parse(check.due_at) - nowMs;
      if (delayMs <= 0) {
        this.enqueue(check);
        continue;
      }
      const tick = startTickDelay(delayMs);
      const due = ticks.get(tick);
      if (due) due.push(check);
      else ticks.set(tick, [check]);
    }
    for (const [delayMs, checks] of ticks) {
      const timer = this.options.timers.setTimeout(() => {
        this.timers.delete(timer);
        for (const check of checks) this.enqueue(check);
      }, delayMs);
      this.timers.add(timer);
    }
  }

  private enqueue(check: ClaimedCheck): void {
    if (this.stopped) return;
    if (this.options.runner.isRunning(check.id) || this.queued.has(check.id)) {
      this.stats.skippedRunning++;
      return;
    }
    this.queue.push(check);
    this.queued.add(check.id);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.active < this.options.concurrency && this.queue.length) {
      const check = this.queue.shift()!;
      this.queued.delete(check.id);
      if (this.options.runner.isRunning(check.id)) {
        this.stats.skippedRunning++;
        continue;
      }
      this.active++;
      this.stats.started++;
      const latenessMs = this.ctx.clock.now().getTime() - Date.parse(check.due_at);
      this.options.onStart?.(latenessMs);
      this.ctx.metrics?.probeStarted(latenessMs);
      void this.options.runner
        .runOnce(check, this.abort.signal)
        .then((result) => {
          if (!this.stopped) this.options.writer.add(result);
        })
        .catch((error: unknown) => this.ctx.log.error({ err: error, checkId: check.id }, 'a probe run failed'))
        .finally(() => {
          this.active--;
          this.pump();
        });
    }
  }

  /** When the probe next looks for due checks (ms), or null while it is looking or stopped. */
  get nextPollAt(): number | null {
    return this.due.nextRunAt;
  }

  get activeRuns(): number {
    return this.active;
  }
}
