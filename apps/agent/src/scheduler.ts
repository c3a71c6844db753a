import type { AssignedCheck } from '@afterhours/shared';
import { startTickDelay, type CheckResult } from '@afterhours/checks';

/**
 * Runs the assigned checks on their own intervals. Each check has a fixed phase within its interval
 * (from a hash of its id), so checks are spread over the interval rather than firing together, and
 * the spread stays the same across restarts. At most `concurrency` checks run at once; a check due
 * while its previous run is still going skips that turn, so one check never runs twice at once.
 * A check that fell behind (the machine slept, the queue was long) runs once, not once per missed turn.
 */

export interface SchedulerOptions {
  now: () => number;
  concurrency: number;
  run: (check: AssignedCheck, signal: AbortSignal) => Promise<CheckResult>;
  /** Called with every finished run; `startedAt` is unique and increasing per check. */
  onResult: (check: AssignedCheck, startedAt: number, result: CheckResult) => void;
  /** Called when a turn is skipped because the previous run has not finished. */
  onSkip?: (check: AssignedCheck) => void;
}

interface Entry {
  check: AssignedCheck;
  dueAt: number;
  queued: boolean;
  running: AbortController | null;
  lastStartedAt: number;
}

/** A stable phase in [0, interval) for a check: FNV-1a of its id. */
export function phaseOf(id: string, intervalMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % intervalMs;
}

/** The first time at or after `now` that falls on the check's phase. */
export function nextSlot(id: string, intervalMs: number, now: number): number {
  const phase = phaseOf(id, intervalMs);
  return now + ((((phase - now) % intervalMs) + intervalMs) % intervalMs);
}

export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: Entry[] = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private stopped = false;
  private readonly idle = new Set<() => void>();

  constructor(private readonly options: SchedulerOptions) {}

  /** Replace the set of checks. Unchanged checks keep their turn; a removed check's run is cancelled. */
  assign(checks: AssignedCheck[]): void {
    const now = this.options.now();
    const wanted = new Map(checks.map((c) => [c.id, c]));
    for (const [id, entry] of this.entries) {
      if (wanted.has(id)) continue;
      entry.running?.abort(new Error('the check was removed from this agent'));
      this.entries.delete(id);
    }
    for (const check of checks) {
      const entry = this.entries.get(check.id);
      const intervalMs = check.intervalS * 1000;
      if (entry) {
        if (entry.check.intervalS !== check.intervalS) entry.dueAt = nextSlot(check.id, intervalMs, now);
        entry.check = check;
      } else {
        this.entries.set(check.id, {
          check,
          dueAt: nextSlot(check.id, intervalMs, now),
          queued: false,
          running: null,
          lastStartedAt: 0,
        });
      }
    }
    this.removeFromQueue((e) => !this.entries.has(e.check.id));
    this.arm();
  }

  /** Run a check now, outside its schedule. False if it is unknown here or already running or waiting. */
  runNow(checkId: string): boolean {
    const entry = this.entries.get(checkId);
    if (!entry || entry.running || entry.queued || this.stopped) return false;
    this.enqueue(entry);
    this.pump();
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  get activeRuns(): number {
    return this.running;
  }

  /** Stop scheduling and cancel the runs in progress; resolves when they have all returned. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.queue.length = 0;
    for (const entry of this.entries.values()) entry.running?.abort(new Error('the agent is stopping'));
    if (this.running === 0) return;
    await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  private arm(): void {
    if (this.stopped) return;
    let earliest = Infinity;
    for (const entry of this.entries.values()) if (entry.dueAt < earliest) earliest = entry.dueAt;
    if (earliest === this.timerAt && this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = earliest;
    if (earliest === Infinity) return;
    // Rounded up to a whole start tick, so that checks due close together start on one wake-up of the
    // event loop instead of one each.
    const delay = startTickDelay(earliest - this.options.now());
    // setTimeout holds at most ~24.8 days; the longest interval is a day, so this always fits.
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.options.now();
    for (const entry of this.entries.values()) {
      if (entry.dueAt > now) continue;
      const intervalMs = entry.check.intervalS * 1000;
      // Next turn: the following slot in the future (one run for any number of missed turns).
      entry.dueAt += Math.max(1, Math.ceil((now - entry.dueAt + 1) / intervalMs)) * intervalMs;
      if (entry.running || entry.queued) this.options.onSkip?.(entry.check);
      else this.enqueue(entry);
    }
    this.pump();
    this.arm();
  }

  private enqueue(entry: Entry): void {
    entry.queued = true;
    this.queue.push(entry);
  }

  private removeFromQueue(which: (e: Entry) => boolean): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (which(this.queue[i]!)) {
        this.queue[i]!.queued = false;
        this.queue.splice(i, 1);
      }
    }
  }

  private pump(): void {
    while (!this.stopped && this.running < this.options.concurrency && this.queue.length) {
      const entry = this.queue.shift()!;
      entry.queued = false;
      void this.start(entry);
    }
  }

  private async start(entry: Entry): Promise<void> {
    const controller = new AbortController();
    entry.running = controller;
    this.running += 1;
    const startedAt = Math.max(this.options.now(), entry.lastStartedAt + 1);
    entry.lastStartedAt = startedAt;
    const check = entry.check;
    try {
      const result = await this.options.run(check, controller.signal);
      // A run cancelled because the check was removed or the agent is stopping observed nothing.
      if (!controller.signal.aborted) this.options.onResult(check, startedAt, result);
    } finally {
      entry.running = null;
      this.running -= 1;
      if (this.running === 0) {
        for (const resolve of this.idle) resolve();
        this.idle.clear();
      }
      this.pump();
    }
  }
}
