import type { Weekday } from '../../api/types';
import { fixedFormat, formatDateTime, formatWeekdayTime, knownTimeZone } from '../../lib/date-format';

const FALLBACK_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Paris',
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Australia/Sydney',
];

let zones: string[] | undefined;
export function allTimeZones(): string[] {
  if (!zones) {
    try {
      zones = Intl.supportedValuesOf('timeZone');
      if (!zones.includes('UTC')) zones = ['UTC', ...zones];
    } catch {
      zones = FALLBACK_ZONES;
    }
  }
  return zones;
}

export { deviceTimeZone, formatDateTime } from '../../lib/date-format';

export function isTimeZone(value: string): boolean {
  return knownTimeZone(value);
}

const WEEKDAY_BY_SHORT: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

/** The weekday and HH:MM on the wall clock of `timeZone` at `at`. */
export function zoneClock(timeZone: string, at: Date): { day: Weekday; time: string } {
  const parts = fixedFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: WEEKDAY_BY_SHORT[get('weekday')] ?? 'mon', time: `${get('hour')}:${get('minute')}` };
}

/** "Fri 21:04" at the site. */
export function localTime(timeZone: string, at: Date): string {
  if (!isTimeZone(timeZone)) return '';
  return formatWeekdayTime(at, timeZone);
}

export function timeAgo(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return 'never';
  const seconds = Math.round((now.getTime() - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 14) return `${days} day${days === 1 ? '' : 's'} ago`;
  return formatDateTime(iso);
}
