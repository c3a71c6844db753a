import { createHash } from 'node:crypto';

/** A fraction in [0, 1) fixed by the check's id, so that first runs spread over the interval the same way every time. */
export function jitterFraction(checkId: string): number {
  return createHash('sha256').update(checkId).digest().readUInt32BE(0) / 2 ** 32;
}

/** A new (or resumed) check's first run: somewhere in its first interval, fixed by its id. */
export function firstRunAt(checkId: string, intervalS: number, now: Date): string {
  return new Date(now.getTime() + Math.floor(jitterFraction(checkId) * intervalS * 1000)).toISOString();
}

/** The run after `dueAt` that is still in the future, keeping the check's phase (a late hub skips missed runs). */
export function nextRunAfter(dueAt: string, intervalS: number, now: Date): string {
  return new Date(nextRunAfterMs(Date.parse(dueAt), intervalS, now.getTime())).toISOString();
}

/** `nextRunAfter` in epoch milliseconds. */
export function nextRunAfterMs(dueMs: number, intervalS: number, nowMs: number): number {
  const step = intervalS * 1000;
  const missed = Math.max(0, Math.floor((nowMs - dueMs) / step));
  return dueMs + (missed + 1) * step;
}
