import type { Contract, SupportHours, SupportWindow, Weekday } from '../../api/types';
import { WEEKDAY_LABELS, WEEKDAYS } from './labels';
import { formatWallTime } from '../../lib/date-format';
import { isTimeZone, zoneClock } from './time';

export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** "Mon–Fri 08:00–18:00, Sat 09:00–12:00" */
export function describeWindows(windows: readonly SupportWindow[]): string {
  const byHours = new Map<string, Set<string>>();
  for (const w of windows) {
    const key = `${formatWallTime(w.start)}–${formatWallTime(w.end)}`;
    if (!byHours.has(key)) byHours.set(key, new Set());
    byHours.get(key)!.add(w.day);
  }
  const parts: string[] = [];
  for (const [hours, days] of byHours) {
    const idx = WEEKDAYS.map((d, i) => (days.has(d) ? i : -1)).filter((i) => i >= 0);
    const runs: string[] = [];
    for (let i = 0; i < idx.length; ) {
      let j = i;
      while (j + 1 < idx.length && idx[j + 1] === idx[j]! + 1) j++;
      const a = WEEKDAY_LABELS[WEEKDAYS[idx[i]!]!];
      const b = WEEKDAY_LABELS[WEEKDAYS[idx[j]!]!];
      runs.push(i === j ? a : j === i + 1 ? `${a}, ${b}` : `${a}–${b}`);
      i = j + 1;
    }
    parts.push(`${runs.join(', ')} ${hours}`);
  }
  return parts.join('; ');
}

export function describeHours(hours: SupportHours): string {
  if (hours.kind === 'always') return '24/7';
  return `${describeWindows(hours.windows)} (${hours.timeZone})`;
}

export function describeContract(contract: Contract): string {
  return `${describeHours(contract.supportHours)} · respond within ${formatMinutes(contract.responseTargetMinutes)}`;
}

/** Whether `at` falls inside the contract's support hours, on the contract's own clock. */
export function inSupportHours(hours: SupportHours, at: Date): boolean {
  if (hours.kind === 'always') return true;
  if (!isTimeZone(hours.timeZone)) return false;
  const { day, time } = zoneClock(hours.timeZone, at);
  return hours.windows.some((w) => w.day === day && w.start <= time && time < w.end);
}

const DAY_MINUTES = 1440;
const WEEK_MINUTES = 7 * DAY_MINUTES;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** What the contract says about `at`: 24/7, in hours until a time, or outside hours until the next window. */
export type SupportNow =
  | { kind: 'always' }
  | { kind: 'in'; until: { day: Weekday; time: string } }
  | { kind: 'out'; next: { day: Weekday; time: string } | null };

/**
 * Whether `at` is inside the support hours and until when, or when they next begin — on the contract's
 * own clock (its time zone), as weekday and HH:MM there. Windows that run into each other (Mon 18:00–24:00
 * and Tue 00:00–08:00) count as one stretch.
 */
export function supportNow(hours: SupportHours, at: Date): SupportNow {
  if (hours.kind === 'always') return { kind: 'always' };
  if (!isTimeZone(hours.timeZone)) return { kind: 'out', next: null };
  const { day, time } = zoneClock(hours.timeZone, at);
  const now = WEEKDAYS.indexOf(day) * DAY_MINUTES + minutesOf(time);
  const spans = hours.windows.map((w) => {
    const start = WEEKDAYS.indexOf(w.day) * DAY_MINUTES + minutesOf(w.start);
    return { start, end: start + minutesOf(w.end) - minutesOf(w.start) };
  });
  const mod = (m: number) => ((m % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
  const wall = (minute: number) => {
    const m = mod(minute);
    const d = WEEKDAYS[Math.floor(m / DAY_MINUTES)] ?? 'mon';
    const rest = m % DAY_MINUTES;
    return { day: d, time: `${String(Math.floor(rest / 60)).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}` };
  };
  /** Minutes left in the window covering `minute`, or 0 when none does. */
  const left = (minute: number) =>
    Math.max(
      0,
      ...spans.map((s) => (mod(minute - s.start) < s.end - s.start ? s.end - s.start - mod(minute - s.start) : 0)),
    );
  if (left(now) > 0) {
    // Walk on through windows that start where this one ends, at most once round the week.
    let end = now;
    for (let step = left(end); step > 0 && end - now < WEEK_MINUTES; step = left(end)) end += step;
    return end - now >= WEEK_MINUTES ? { kind: 'always' } : { kind: 'in', until: wall(end) };
  }
  const ahead = Math.min(...spans.map((s) => mod(s.start - now)));
  return { kind: 'out', next: wall(now + ahead) };
}
