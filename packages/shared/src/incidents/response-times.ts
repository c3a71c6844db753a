import type { ResponseClock } from '../api/incidents.js';
import type { SupportHours } from '../api/register.js';
import { withinSupportHours } from '../support-hours.js';
import { instantOfWallTime, wallTime } from '../heartbeats/cron.js';

/**
 * Response times against a contract, pure: the clock counts only time inside the contracted support hours
 * (all of it for 24/7), so an incident opened on Friday at 19:00 under weekday 8–18 hours starts counting on
 * Monday at 08:00. Calendar arithmetic is done in the support hours' wall time, so DST changes are exact.
 */

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

interface Span {
  start: number;
  end: number;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The support-hour spans within [from, to), in order and merged. */
export function supportSpans(hours: SupportHours, from: number, to: number): Span[] {
  if (to <= from) return [];
  if (hours.kind === 'always') return [{ start: from, end: to }];
  const spans: Span[] = [];
  const firstDay = Math.floor(wallTime(from, hours.timeZone) / DAY) * DAY - DAY;
  const lastDay = Math.floor(wallTime(to, hours.timeZone) / DAY) * DAY;
  for (let day = firstDay; day <= lastDay; day += DAY) {
    const weekday = DAY_NAMES[new Date(day).getUTCDay()];
    for (const w of hours.windows) {
      if (w.day !== weekday) continue;
      const start = instantOfWallTime(day + minutesOf(w.start) * 60_000, hours.timeZone);
      const end = instantOfWallTime(day + minutesOf(w.end) * 60_000, hours.timeZone);
      if (end > from && start < to) spans.push({ start: Math.max(start, from), end: Math.min(end, to) });
    }
  }
  spans.sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** Support time (ms) between two instants. */
export function supportMsBetween(hours: SupportHours, from: number, to: number): number {
  return supportSpans(hours, from, to).reduce((sum, s) => sum + (s.end - s.start), 0);
}

/** The instant at which `targetMs` of support time has passed since `from`; null when none comes within a year. */
export function supportDeadline(hours: SupportHours, from: number, targetMs: number): number | null {
  let left = targetMs;
  for (let start = from; start < from + 53 * WEEK; start += WEEK) {
    for (const s of supportSpans(hours, start, start + WEEK)) {
      const length = s.end - s.start;
      if (length >= left) return s.start + left;
      left -= length;
    }
  }
  return null;
}

/**
 * One response clock (to acknowledge, to resolve): it starts at `startMs`, stops at `stopMs` (null: still
 * running) and is measured against `targetMinutes` of support time (null: no target, only elapsed time).
 */
export function responseClock(
  hours: SupportHours,
  startMs: number,
  stopMs: number | null,
  targetMinutes: number | null,
  nowMs: number,
): ResponseClock {
  const until = stopMs ?? nowMs;
  const elapsedMs = supportMsBetween(hours, startMs, Math.max(startMs, until));
  const elapsedMinutes = Math.floor(elapsedMs / 60_000);
  const stoppedAt = stopMs === null ? null : new Date(stopMs).toISOString();
  if (targetMinutes === null)
    return {
      state: stopMs !== null ? 'met' : 'none',
      targetMinutes,
      elapsedMinutes,
      leftMinutes: null,
      breachAt: null,
      stoppedAt,
    };
  const targetMs = targetMinutes * 60_000;
  // Rounded up while time is left, so "1 minute left" shows until the very end.
  const leftMinutes =
    targetMs >= elapsedMs ? Math.ceil((targetMs - elapsedMs) / 60_000) : -Math.floor((elapsedMs - targetMs) / 60_000);
  if (stopMs !== null)
    return {
      state: elapsedMs <= targetMs ? 'met' : 'breached',
      targetMinutes,
      elapsedMinutes,
      leftMinutes,
      breachAt: null,
      stoppedAt,
    };
  const breach = elapsedMs > targetMs ? null : supportDeadline(hours, startMs, targetMs);
  return {
    state: elapsedMs > targetMs ? 'breached' : withinSupportHours(hours, new Date(nowMs)) ? 'running' : 'paused',
    targetMinutes,
    elapsedMinutes,
    leftMinutes,
    breachAt: breach === null ? null : new Date(breach).toISOString(),
    stoppedAt,
  };
}

/** How the support hours read beside the clock: "24/7" or "Mon–Fri 08:00–18:00 (Europe/London)". */
export function describeSupportHours(hours: SupportHours): string {
  if (hours.kind === 'always') return '24/7';
  const groups = new Map<string, string[]>();
  for (const w of hours.windows) {
    const key = `${w.start}–${w.end}`;
    groups.set(key, [...(groups.get(key) ?? []), w.day]);
  }
  const parts = [...groups].map(([times, days]) => `${days.map(capital).join(', ')} ${times}`);
  return `${parts.join('; ')} (${hours.timeZone})`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
