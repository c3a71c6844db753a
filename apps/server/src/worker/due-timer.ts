import { realTimers, type Timers } from './timers.js';

/** The longest a Node timer can wait (about 24.8 days); longer sleeps are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DueTimerOptions {
  /** The time now, in ms (the context's clock, so tests can drive it). */
  now: () => number;
  timers?: Timers;
  /**
   * Longest sleep when the work names no next time, or names one further away: the safety net for
   * changes no event tells about (another process on the database, a row edited by hand).
   */
  maxSleepMs: number;
  /** Least time between the starts of two runs: a burst of wake-ups becomes one run. */
  minGapMs?: number;
  /** Called when a run throws; the next run is then `maxSleepMs` away (or sooner when woken). */
  onError?: (error: unknown) => void;
}

/**
 * Runs a worker's `work` when it is next due and sleeps in between — no ticking while there is nothing to
 * do. `work` answers when it is next due (epoch ms), or null when it knows of nothing. `wake()` runs it
 * early, for an event that may have brought work forward (a new check, a ping, an agent going silent);
 * wake-ups during a run start one more run after it. Never two runs at once.
 *
 * Every worker that waits for a due time should use this instead of setInterval.
 */
export class DueTimer {
  private readonly timers: Timers;
  private timer: unknown = null;
  /** When the scheduled run is due (ms), while `timer` is set. */
  private dueAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | null = null;
  /** Earliest wake-up asked for during a run. */
  private wokenFor: number | null = null;
  private lastStart = Number.NEGATIVE_INFINITY;
  private stopped = true;

  constructor(
    private readonly work: () => Promise<number | null>,
    private readonly options: DueTimerOptions,
  ) {
    this.timers = options.timers ?? realTimers;
  }

  /** Starts: the first run in `firstInMs` (default at once). */
  start(firstInMs = 0): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.options.now() + firstInMs);
  }

  /** Runs the work at `atMs` (default now, or as soon as `minGapMs` allows) unless it is due sooner anyway. */
  wake(atMs?: number): void {
    if (this.stopped) return;
    const at = atMs ?? this.options.now();
    if (this.running !== null) this.wokenFor = Math.min(this.wokenFor ?? at, at);
    else this.schedule(at);
  }

  /** When the next run is due (ms), or null while running or stopped. */
  get nextRunAt(): number | null {
    return this.timer === null ? null : this.dueAt;
  }

  /** Stops; resolves when a run in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clear();
    await this.running;
  }

  private clear(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = Number.POSITIVE_INFINITY;
  }

  private schedule(atMs: number): void {
    if (this.stopped) return;
    const at = Math.max(atMs, this.lastStart + (this.options.minGapMs ?? 0));
    if (this.timer !== null && this.dueAt <= at) return;
    this.clear();
    this.dueAt = at;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at - this.options.now()));
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.dueAt = Number.POSITIVE_INFINITY;
      if (this.options.now() < at - 1)
        this.schedule(at); // a sleep longer than one timer can wait
      else this.run();
    }, delay);
  }

  private run(): void {
    if (this.stopped || this.running !== null) return;
    const started = this.options.now();
    this.lastStart = started;
    this.running = this.work()
      .catch((error: unknown) => {
        this.options.onError?.(error);
        return null;
      })
      .then((next) => {
        this.running = null;
        const ceiling = this.options.now() + this.options.maxSleepMs;
        let at = next === null ? ceiling : Math.min(next, ceiling);
        if (this.wokenFor !== null) at = Math.min(at, this.wokenFor);
        this.wokenFor = null;
        this.schedule(at);
      });
  }
}
