import { setMaxListeners } from 'node:events';
import { startTickDelay } from '@afterhours/checks';
import type { AppContext } from '../context.js';
import {
  claimDueChecks,
  nextDueCheck,
  readDueChecks,
  tuneForProbe,
  type ClaimedCheck,
} from '../db/dialects/probe-claim.js';
import type { IncomingResult } from '../domain/monitoring/ingest.js';
import { probeRunnerOf, type ProbeRunner } from '../domain/monitoring/probe-runner.js';
import { DueTimer } from './due-timer.js';
import { firstRunAt, nextRunAfter } from './schedule.js';
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
  /**
   * `claim`: each run is claimed in the database by moving the check's next_run_at before it starts, so that
   * several hub processes (PostgreSQL) never take the same run. `memory`: the one hub process of a SQLite
   * database reads due runs, keeps the ones it took in memory, and writes each check's next run with its
   * result (one row write per run instead of two). Default: by the database.
   */
  schedule: 'claim' | 'memory';
  timers: Timers;
  runner: ProbeRunner;
  writer: ResultWriter;
  /** Called with each run's lateness behind its schedule, in ms (for metrics and the benchmark). */
  onStart?: (latenessMs: number) => void;
}

/**
 * The built-in probe: claims hub checks by their indexed next_run_at, starts each at its time, runs at
 * most `concurrency` at once and never two runs of one check, and hands results to a batching writer.
 *
 * With the schedule in memory (SQLite), a run is taken without a write: the check's next_run_at stays on the
 * run until its result is stored, which moves it on in the same row write. A run taken but not stored when
 * the hub dies is still due in the database, so it runs again at the next start rather than being lost. Polls
 * read only runs that fell due since the last poll (`readThrough`); anything that may have put a run before
 * that (a check changed, a run dropped, a result not stored, a minute gone by) makes the next poll read all.
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
  private tuned = false;
  private readonly abort = new AbortController();
  /** Schedule in memory: runs taken and not yet stored, by check id, with the next_run_at they were read at. */
  private readonly taken = new Map<string, string>();
  /** Schedule in memory: due runs up to here were read by an earlier poll; null: the next poll reads all. */
  private readThrough: string | null = null;
  private lastFullReadMs = 0;
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
      schedule: ctx.db.dialect.name === 'sqlite' ? 'memory' : 'claim',
      runner: probeRunnerOf(ctx),
      writer: new ResultWriter(ctx, timers),
      ...options,
      timers,
    };
    this.options.writer.onWritten = (batch, stored) => this.written(batch, stored);
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
      if (event.entity !== 'check' || event.action === 'deleted') return;
      this.readThrough = null; // it may have been given a run before what was read
      this.due.wake();
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
    this.taken.clear();
    this.readThrough = null;
    this.abort.abort(new Error('the hub is stopping'));
    await this.due.stop();
    await this.options.writer.flush();
  }

  /** One claim round and when the next is due: at once after a full claim, else a poll ahead of the next due check. */
  private async round(): Promise<number | null> {
    const claimed = await this.poll();
    const nowMs = this.ctx.clock.now().getTime();
    if (claimed >= this.options.claimLimit) return nowMs;
    const next = await nextDueCheck(this.ctx.db.kysely, this.memory ? this.readThrough : null).catch(() =>
      new Date(nowMs).toISOString(),
    );
    return next === null ? null : Math.max(nowMs + this.options.pollMs, Date.parse(next) - this.options.pollMs);
  }

  private get memory(): boolean {
    return this.options.schedule === 'memory';
  }

  /**
   * One claim round; exported for tests that drive the timers by hand. Answers how many due runs it read
   * (a full read means more may be waiting).
   */
  async poll(): Promise<number> {
    try {
      if (!this.tuned) {
        await tuneForProbe(this.ctx.db.kysely, this.ctx.db.dialect.name);
        this.tuned = true;
      }
      await this.scheduleNewChecks();
      const now = this.ctx.clock.now();
      const horizon = new Date(now.getTime() + this.options.pollMs).toISOString();
      let read: number;
      let claimed: ClaimedCheck[];
      if (this.memory) [read, claimed] = await this.takeDue(now, horizon);
      else {
        claimed = await claimDueChecks(
          this.ctx.db.kysely,
          this.ctx.db.dialect.name,
          now.toISOString(),
          horizon,
          this.options.claimLimit,
        );
        read = claimed.length;
      }
      this.stats.claimed += claimed.length;
      this.startOnTicks(claimed, now.getTime());
      return read;
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'the probe could not claim due checks; trying again');
      return 0;
    }
  }

  /** Schedule in memory: reads the runs due by `horizon` that were not read before and takes those not taken. */
  private async takeDue(now: Date, horizon: string): Promise<[number, ClaimedCheck[]]> {
    const nowMs = now.getTime();
    if (nowMs - this.lastFullReadMs >= this.options.maxSleepMs) this.readThrough = null; // the safety net
    const after = this.readThrough;
    if (after === null) this.lastFullReadMs = nowMs;
    const rows = await readDueChecks(this.ctx.db.kysely, horizon, after, this.options.claimLimit);
    const claimed: ClaimedCheck[] = [];
    for (const row of rows) {
      if (this.taken.has(row.id)) continue;
      this.taken.set(row.id, row.next_run_at);
      // A run missed while the hub was down runs once, as its latest slot (the claim does the same).
      const { next_run_at, ...check } = row;
      const dueAt = new Date(Date.parse(nextRunAfter(next_run_at, row.interval_s, now)) - row.interval_s * 1000);
      claimed.push({ ...check, due_at: dueAt.toISOString() });
    }
    // A full read: the next one goes on from just before the last run read (runs at that very time are read again).
    // (More runs than the limit due at one millisecond: the rest wait for a full read.)
    const last = rows.at(-1);
    const before = last ? new Date(Date.parse(last.next_run_at) - 1).toISOString() : horizon;
    this.readThrough =
      rows.length < this.options.claimLimit || !last ? horizon : before === after ? last.next_run_at : before;
    return [rows.length, claimed];
  }

  /** Schedule in memory: the result to store for a run, with the check's next run. */
  private withSchedule(check: ClaimedCheck, result: IncomingResult): IncomingResult {
    const from = this.memory ? this.taken.get(check.id) : undefined;
    if (from === undefined) return result;
    return { ...result, schedule: { from, next: nextRunAfter(check.due_at, check.interval_s, this.ctx.clock.now()) } };
  }

  /** Schedule in memory: a run taken and not run (or not stored) is due again in the database: read it again. */
  private release(checkId: string): void {
    if (this.taken.delete(checkId)) this.readThrough = null;
  }

  /** Schedule in memory: stored results moved their checks' next runs on; runs not stored are due again. */
  private written(batch: readonly IncomingResult[], stored: boolean): void {
    for (const result of batch) {
      if (!result.schedule || this.taken.get(result.checkId) !== result.schedule.from) continue;
      this.taken.delete(result.checkId);
      if (!stored || (this.readThrough !== null && result.schedule.next <= this.readThrough)) this.readThrough = null;
    }
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
    if (fresh.length) this.readThrough = null;
    for (const c of fresh) {
      await this.ctx.db.kysely
        .updateTable('checks')
        .set({ next_run_at: firstRunAt(c.id, c.interval_s, now) })
        .where('id', '=', c.id)
        .where('next_run_at', 'is', null)
        .execute();
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
    if (this.stopped) {
      this.release(check.id);
      return;
    }
    if (this.options.runner.isRunning(check.id) || this.queued.has(check.id)) {
      this.stats.skippedRunning++;
      if (!this.queued.has(check.id)) this.release(check.id);
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
        this.release(check.id);
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
          if (!this.stopped) this.options.writer.add(this.withSchedule(check, result));
          else this.release(check.id);
        })
        .catch((error: unknown) => {
          this.release(check.id);
          this.ctx.log.error({ err: error, checkId: check.id }, 'a probe run failed');
        })
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
