import type { CheckState, DayResult, HeartbeatStatus, LastNightItem } from '../../api/types';
import { formatCalendarDay, formatDayTime } from '../../lib/date-format';

// Mirrors heartbeatStatuses in packages/shared; typed by it so a new status fails to compile here.
export const HEARTBEAT_STATUS_LABELS: Record<HeartbeatStatus, string> = {
  new: 'New',
  up: 'Up',
  degraded: 'Warning',
  late: 'Late',
  down: 'Down',
  paused: 'Paused',
};

/** The colour a heartbeat's state borrows from the check states (dots, badges, tones). */
export const HEARTBEAT_TONE: Record<HeartbeatStatus, CheckState> = {
  new: 'unknown',
  up: 'up',
  degraded: 'degraded',
  late: 'degraded',
  down: 'down',
  paused: 'paused',
};

export const DAY_RESULT_LABELS: Record<DayResult, string> = {
  success: 'succeeded',
  warning: 'warnings',
  failure: 'failed',
  missed: 'missed',
  none: 'no run',
};

export const PROBLEM_LABELS: Record<LastNightItem['problem'], string> = {
  failure: 'Failed',
  warning: 'Warnings',
  missed: 'Did not run',
  late: 'Late',
  down: 'Down',
};

export const RESULT_LABELS = { success: 'Succeeded', warning: 'Warnings', failure: 'Failed' } as const;
export const RESULT_TONE = { success: 'up', warning: 'degraded', failure: 'down' } as const satisfies Record<
  keyof typeof RESULT_LABELS,
  CheckState
>;

const UNITS = [
  [86_400, 'day'],
  [3_600, 'h'],
  [60, 'min'],
  [1, 's'],
] as const;

/** "1 day", "2 days", "1 h 30 min", "90 s" for whole seconds. */
export function formatSeconds(total: number): string {
  const parts: string[] = [];
  let rest = Math.round(total);
  for (const [size, unit] of UNITS) {
    const n = Math.floor(rest / size);
    if (n === 0) continue;
    rest -= n * size;
    parts.push(unit === 'day' ? `${n} day${n === 1 ? '' : 's'}` : `${n} ${unit}`);
    if (parts.length === 2) break;
  }
  return parts.join(' ') || '0 s';
}

/** A run's length: "45 s", "12 min", "1 h 5 min"; "—" when never timed. */
export function formatRunTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return formatSeconds(ms < 120_000 ? Math.round(ms / 1000) : Math.round(ms / 60_000) * 60);
}

type Schedule =
  | { kind: 'period'; periodS: number; graceS: number }
  | { kind: 'cron'; cron: string; timeZone: string; graceS: number };

/** "every 1 day" or "cron 0 2 * * * (Europe/London)". */
export function describeSchedule(s: Schedule): string {
  return s.kind === 'period' ? `every ${formatSeconds(s.periodS)}` : `cron ${s.cron} (${s.timeZone})`;
}

/** "Mon 3 Nov" for a YYYY-MM-DD date. */
export const dayLabel = formatCalendarDay;

/** "Thu 19 Nov, 01:14" in the site's zone; "never" for null. */
export function siteDateTime(iso: string | null, timeZone: string): string {
  return iso ? formatDayTime(iso, timeZone) : 'never';
}
