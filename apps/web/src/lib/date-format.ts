/**
 * The web app's one place for showing dates, times and numbers. Every screen formats through here, so
 * all of them follow the firm's locale and clock (24-hour or 12-hour; a user may override both on the
 * profile screen) rather than each browser's own habits. Built on Intl (no library: Now's first script
 * stays small).
 *
 * Intl.DateTimeFormat objects are made once per locale and options and reused. Making one costs far more
 * than formatting with it (it loads the zone's rules): Now formats a time for each of hundreds of sites
 * and problems, and building a formatter each time was most of the screen's first render.
 */

export type Clock = '24h' | '12h';
export interface DisplayPreferences {
  /** A BCP 47 tag such as "en-GB"; undefined: the browser's. */
  locale: string | undefined;
  /** undefined: the locale's habit. */
  clock: Clock | undefined;
}

let preferences: DisplayPreferences = { locale: undefined, clock: undefined };

/** Set once the session says whose preferences apply (the user's, else the firm's). */
export function setDisplayPreferences(next: DisplayPreferences): void {
  preferences = { locale: next.locale && knownLocale(next.locale) ? next.locale : undefined, clock: next.clock };
}

export function displayPreferences(): DisplayPreferences {
  return preferences;
}

const cache = new Map<string, Intl.DateTimeFormat>();

/**
 * A formatter for machine use (parsing parts, comparing days) in a fixed locale, not for showing: throws
 * for an unknown time zone, like Intl.
 */
export function fixedFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}

/** A formatter for showing, in the firm's (or user's) locale and clock; throws for an unknown time zone. */
export function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const { locale, clock } = preferences;
  let withClock = options;
  if (options.hour !== undefined || options.timeStyle !== undefined) {
    if (clock) withClock = { ...withClock, hourCycle: clock === '24h' ? 'h23' : 'h12' };
    // "9:30 pm", not "09:30 pm": a 12-hour clock does not pad the hour.
    if (options.hour === '2-digit' && (clock ?? habitualClock(locale)) === '12h')
      withClock = { ...withClock, hour: 'numeric' };
  }
  const key = `${locale ?? ''}|${JSON.stringify(withClock)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, withClock);
    cache.set(key, format);
  }
  return format;
}

const habits = new Map<string, Clock>();

/** The clock a locale uses when nobody chose one. */
function habitualClock(locale: string | undefined): Clock {
  let habit = habits.get(locale ?? '');
  if (!habit) {
    const cycle = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle;
    habit = cycle === 'h11' || cycle === 'h12' ? '12h' : '24h';
    habits.set(locale ?? '', habit);
  }
  return habit;
}

const zones = new Map<string, boolean>();

/** Whether the browser knows this IANA time zone; remembered. */
export function knownTimeZone(value: string): boolean {
  if (!value) return false;
  let known = zones.get(value);
  if (known === undefined) {
    try {
      fixedFormat('en', { timeZone: value });
      known = true;
    } catch {
      known = false;
    }
    zones.set(value, known);
  }
  return known;
}

/** Whether the browser can format in this locale tag (a well-formed tag it supports). */
export function knownLocale(value: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([value]).length > 0;
  } catch {
    return false;
  }
}

/** The device's IANA time zone ("UTC" when the browser cannot say). */
export function deviceTimeZone(): string {
  try {
    return fixedFormat('en', {}).resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The browser's locale and clock: what a new firm starts with. */
export function deviceDisplayPreferences(): { locale: string; clock: Clock } {
  return { locale: new Intl.DateTimeFormat().resolvedOptions().locale, clock: habitualClock(undefined) };
}

/**
 * Whether `timeZone` is another zone than the device's, so a screen showing times in it should say
 * which (compared by the browser's canonical names: "Etc/UTC" and "UTC" are the same zone). An unknown
 * zone is not another: times fall back to the device's.
 */
export function isOtherZone(timeZone: string): boolean {
  if (!knownTimeZone(timeZone)) return false;
  return fixedFormat('en', { timeZone }).resolvedOptions().timeZone !== deviceTimeZone();
}

const zoneOption = (timeZone: string | undefined) => (timeZone && knownTimeZone(timeZone) ? { timeZone } : {});
const validDate = (iso: string | Date) => {
  const d = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

/**
 * The one style for a date with its time: "Thu 19 Nov, 01:14" (the year added when it is not this
 * year's), in `timeZone` when given.
 */
export function formatDateTime(iso: string | Date | null | undefined, timeZone?: string): string {
  if (!iso) return '—';
  const d = validDate(iso);
  if (!d) return String(iso);
  const zone = zoneOption(timeZone);
  const year = (x: Date) => fixedFormat('en', { ...zone, year: 'numeric' }).format(x);
  return dateFormat({
    ...zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(year(d) === year(new Date()) ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}

/** "Thu 19 Nov, 01:14": the same as formatDateTime. */
export const formatDayTime = (iso: string | Date, timeZone?: string) => formatDateTime(iso, timeZone);

/** "Fri 21:04": weekday and time, in `timeZone` when given. */
export function formatWeekdayTime(at: Date, timeZone?: string): string {
  return dateFormat({ ...zoneOption(timeZone), weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(at);
}

/** "Saturday 5 December, 21:04": the long line at the top of Now. */
export function formatLongDateTime(at: Date): string {
  return dateFormat({ weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(at);
}

/** "21:04" (or "9:04 pm"), in `timeZone` when given. */
export function formatTime(at: Date, timeZone?: string): string {
  return dateFormat({ ...zoneOption(timeZone), hour: '2-digit', minute: '2-digit' }).format(at);
}

/** "Mon 3 Nov" for a calendar date YYYY-MM-DD (formatted in UTC so it never shifts). */
export function formatCalendarDay(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return dateFormat({ timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(d);
}

/** "3 Nov" for a date and time (the latency chart's axis). */
export function formatShortDay(at: Date, timeZone?: string): string {
  return dateFormat({ ...zoneOption(timeZone), day: 'numeric', month: 'short' }).format(at);
}

/** A wall-clock time written HH:MM (a contract's "08:00"), in the firm's clock: "08:00" or "8:00 am". */
export function formatWallTime(hhmm: string): string {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) return hhmm;
  if (hhmm === '24:00') return formatWallTime('00:00');
  return dateFormat({ timeZone: 'UTC', hour: '2-digit', minute: '2-digit' }).format(
    new Date(Date.UTC(2000, 0, 1, Number(match[1]), Number(match[2]))),
  );
}

/** "12,345" in the firm's locale. */
export function formatNumber(n: number): string {
  return n.toLocaleString(preferences.locale);
}

/** "18:42" when today (in the zone), otherwise "Thu 18:42", or "3 Nov 18:42" beyond a week; in `timeZone` when given. */
export function clockTime(iso: string, now: Date, timeZone?: string): string {
  const at = validDate(iso);
  if (!at) return iso;
  const zone = zoneOption(timeZone);
  const day = (d: Date) =>
    fixedFormat('en-CA', { ...zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const within6Days = now.getTime() - at.getTime() < 6 * 86_400_000;
  return dateFormat({
    ...zone,
    ...(day(at) === day(now) ? {} : within6Days ? { weekday: 'short' } : { day: 'numeric', month: 'short' }),
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

/** "YYYY-MM-DDTHH:MM" of a Date in the device's zone, for datetime-local inputs. */
export function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
