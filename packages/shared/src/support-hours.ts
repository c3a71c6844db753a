/**
 * Support hours on the contract's own clock (its time zone): one implementation for the hub (paging
 * rules, response-time clocks) and the web app (the "in hours until 18:00" badge). Pure, and free of zod,
 * so the web app imports it without pulling the API schemas into its bundle.
 */
import type { SupportHours } from './api/register.js';

/** Sunday first, as Date.getUTCDay() counts. */
export const SUNDAY_FIRST = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayName = (typeof SUNDAY_FIRST)[number];

/** The weekday and HH:MM of an instant in a time zone. */
export function zonedDayTime(at: Date, timeZone: string): { day: WeekdayName; time: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = get('weekday').toLowerCase().slice(0, 3) as WeekdayName;
  return { day, time: `${get('hour')}:${get('minute')}` };
}

export function withinSupportHours(hours: SupportHours, at: Date): boolean {
  if (hours.kind === 'always') return true;
  if (!isTimeZone(hours.timeZone)) return false;
  const { day, time } = zonedDayTime(at, hours.timeZone);
  return hours.windows.some((w) => w.day === day && w.start <= time && time < w.end);
}

/** Monday first, as contracts list their days. */
const MON_FIRST: readonly WeekdayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const zones = new Map<string, boolean>();
function isTimeZone(value: string): boolean {
  let known = zones.get(value);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      known = true;
    } catch {
      known = false;
    }
    zones.set(value, known);
  }
  return known;
}

const DAY_MINUTES = 1440;
const WEEK_MINUTES = 7 * DAY_MINUTES;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** What the contract says about `at`: 24/7, in hours until a time, or outside hours until the next window. */
export type SupportNow =
  | { kind: 'always' }
  | { kind: 'in'; until: { day: WeekdayName; time: string } }
  | { kind: 'out'; next: { day: WeekdayName; time: string } | null };

/**
 * Whether `at` is inside the support hours and until when, or when they next begin — on the contract's
 * own clock (its time zone), as weekday and HH:MM there. Windows that run into each other (Mon 18:00–24:00
 * and Tue 00:00–08:00) count as one stretch.
 */
export function supportNow(hours: SupportHours, at: Date): SupportNow {
  if (hours.kind === 'always') return { kind: 'always' };
  if (!isTimeZone(hours.timeZone)) return { kind: 'out', next: null };
  const { day, time } = zonedDayTime(at, hours.timeZone);
  const now = MON_FIRST.indexOf(day) * DAY_MINUTES + minutesOf(time);
  const spans = hours.windows.map((w) => {
    const start = MON_FIRST.indexOf(w.day) * DAY_MINUTES + minutesOf(w.start);
    return { start, end: start + minutesOf(w.end) - minutesOf(w.start) };
  });
  const mod = (m: number) => ((m % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
  const wall = (minute: number) => {
    const m = mod(minute);
    const d = MON_FIRST[Math.floor(m / DAY_MINUTES)] ?? 'mon';
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
