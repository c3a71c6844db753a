import type { Criticality, SupportHours } from '../api/register.js';
import { SUNDAY_FIRST as WEEKDAYS, type WeekdayName, withinSupportHours, zonedDayTime } from '../support-hours.js';
import { instantOfWallTime, wallTime } from '../heartbeats/cron.js';

const RANK: Record<Criticality, number> = { low: 0, normal: 1, high: 2, critical: 3 };

/** The least critical system that pages, within and outside support hours ('none': nothing pages). */
export interface PagingRules {
  withinHours: Criticality | 'none';
  outsideHours: Criticality | 'none';
}

/** Critical systems page at any hour; the rest only within support hours (and are listed for the morning). */
export const DEFAULT_PAGING_RULES: PagingRules = { withinHours: 'low', outsideHours: 'critical' };

export interface PagingInput {
  criticality: Criticality;
  supportHours: SupportHours;
  rules: PagingRules;
  /** The name of the maintenance window the alert falls in, if any. */
  maintenance: string | null;
  at: Date;
}

/** Whether an alert pages anyone, and why (shown beside every alert). */
export function pagingDecision(input: PagingInput): { pages: boolean; reason: string } {
  if (input.maintenance !== null)
    return { pages: false, reason: `in maintenance (${input.maintenance}): nobody is paged` };
  const within = withinSupportHours(input.supportHours, input.at);
  const least = within ? input.rules.withinHours : input.rules.outsideHours;
  const when =
    input.supportHours.kind === 'always'
      ? 'support is 24/7'
      : within
        ? 'within support hours'
        : 'outside support hours';
  if (least !== 'none' && RANK[input.criticality] >= RANK[least])
    return { pages: true, reason: `${input.criticality} system, ${when}: pages` };
  return {
    pages: false,
    reason: within
      ? `${input.criticality} system, ${when}: the contract does not page for it`
      : `${input.criticality} system, ${when}: listed for the morning`,
  };
}

/** A maintenance window as the rules need it. */
export interface MaintenanceTimes {
  kind: 'once' | 'weekly';
  startsAt: string | null;
  endsAt: string | null;
  endedAt: string | null;
  /** Weekly: the days and times in the zone. */
  days: WeekdayName[];
  startTime: string | null;
  endTime: string | null;
  timeZone: string;
}

/** Whether a window is in force at `at`. A weekly window that ends before it starts runs past midnight. */
export function maintenanceActive(w: MaintenanceTimes, at: Date): boolean {
  const t = at.getTime();
  if (w.endedAt && Date.parse(w.endedAt) <= t) return false;
  if (w.kind === 'once') {
    if (w.startsAt && Date.parse(w.startsAt) > t) return false;
    return !w.endsAt || Date.parse(w.endsAt) > t;
  }
  if (w.startsAt && Date.parse(w.startsAt) > t) return false;
  if (w.endsAt && Date.parse(w.endsAt) <= t) return false;
  if (!w.startTime || !w.endTime) return false;
  const { day, time } = zonedDayTime(at, w.timeZone);
  if (w.startTime < w.endTime) return w.days.includes(day) && w.startTime <= time && time < w.endTime;
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!;
  return (w.days.includes(day) && time >= w.startTime) || (w.days.includes(yesterday) && time < w.endTime);
}

/**
 * When a window in force at `at` stops being in force: a one-off's end, or the end of this week's
 * occurrence of a weekly one (the next day's end time for a window that runs past midnight); null when it
 * is not in force, or runs until someone ends it.
 */
export function maintenanceUntil(w: MaintenanceTimes, at: Date): string | null {
  if (!maintenanceActive(w, at)) return null;
  if (w.kind === 'once') return w.endsAt;
  const { time } = zonedDayTime(at, w.timeZone);
  const wall = wallTime(at.getTime(), w.timeZone);
  const today = wall - (wall % 86_400_000);
  const [h, m] = w.endTime!.split(':').map(Number) as [number, number];
  const tomorrow = w.startTime! > w.endTime! && time >= w.startTime!;
  const end = instantOfWallTime(today + (tomorrow ? 86_400_000 : 0) + h * 3_600_000 + m * 60_000, w.timeZone);
  const capped = w.endsAt ? Math.min(end, Date.parse(w.endsAt)) : end;
  return new Date(capped).toISOString();
}
