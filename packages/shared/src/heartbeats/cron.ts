/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week), evaluated in an IANA time
 * zone with daylight-saving changes handled. Pure: no clock, no I/O.
 *
 * Syntax: `*`, numbers, ranges `a-b`, steps `*\/n` and `a-b/n`, lists `a,b`, month names `jan`–`dec`,
 * day names `sun`–`sat` (0 and 7 are both Sunday). As in Vixie cron, when both day-of-month and
 * day-of-week are restricted a day matches if either does.
 *
 * Daylight saving: a local time that does not exist (the hour skipped in spring) fires at the same
 * moment shifted forward by the gap (02:30 becomes 03:30); a local time that happens twice (the hour
 * repeated in autumn) fires once, at its first occurrence.
 */

export interface Cron {
  source: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** Whether day-of-month / day-of-week was `*` (an unrestricted field does not count for the OR rule). */
  anyDay: boolean;
  anyWeekday: boolean;
}

export class CronError extends Error {}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Value of names[0]. */
  nameBase?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS, nameBase: 0 },
];

function value(text: string, spec: FieldSpec): number {
  const lower = text.toLowerCase();
  const named = spec.names?.indexOf(lower) ?? -1;
  if (named >= 0) return named + (spec.nameBase ?? 0);
  if (!/^\d{1,2}$/.test(text)) throw new CronError(`${spec.name}: "${text}" is not a number`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) throw new CronError(`${spec.name}: ${n} is outside ${spec.min}-${spec.max}`);
  return n;
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (range === undefined || range === '' || extra !== undefined)
      throw new CronError(`${spec.name}: "${part}" is not valid`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) === 0)
        throw new CronError(`${spec.name}: step "${stepText}" must be a positive number`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = spec.min;
      hi = spec.max === 7 ? 6 : spec.max;
    } else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (a === undefined || b === undefined || more !== undefined)
        throw new CronError(`${spec.name}: "${range}" is not a range`);
      lo = value(a, spec);
      hi = value(b, spec);
      if (lo > hi) throw new CronError(`${spec.name}: range ${range} runs backwards`);
    } else {
      lo = value(range, spec);
      hi = stepText === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += step) out.add(spec.max === 7 && v === 7 ? 0 : v);
  }
  return out;
}

/** Parses a five-field cron expression, or throws CronError saying which field is wrong. */
export function parseCron(source: string): Cron {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) throw new CronError(`needs 5 fields (minute hour day month weekday), got ${parts.length}`);
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, FIELDS[i]!)) as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  return {
    source: parts.join(' '),
    minutes,
    hours,
    days,
    months,
    weekdays,
    anyDay: parts[2]!.startsWith('*'),
    anyWeekday: parts[4]!.startsWith('*'),
  };
}

/** The cron's problem in words, or null when it is valid and fires at least once. */
export function cronProblem(source: string): string | null {
  try {
    const cron = parseCron(source);
    return nextCronTime(cron, new Date('2000-01-01T00:00:00Z'), 'UTC') ? null : 'never fires (no such date)';
  } catch (error) {
    return error instanceof CronError ? error.message : 'is not a valid cron expression';
  }
}

// ---- Time zones -------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at an instant, as milliseconds of a UTC date with the same fields. */
export function wallTime(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instantMs)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return (
    Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!) +
    (((instantMs % 1000) + 1000) % 1000)
  );
}

/** The zone's offset from UTC (ms) at an instant. */
export function zoneOffset(instantMs: number, timeZone: string): number {
  return wallTime(instantMs, timeZone) - instantMs;
}

/**
 * The instant at which the wall clock in `timeZone` shows `wallMs`. A wall time that happens twice
 * gives the first; one that does not exist (skipped by a change to summer time) moves forward by the gap.
 */
export function instantOfWallTime(wallMs: number, timeZone: string): number {
  const before = zoneOffset(wallMs - 12 * 3600_000, timeZone);
  const after = zoneOffset(wallMs + 12 * 3600_000, timeZone);
  const candidates = [wallMs - before, wallMs - after]
    .filter((u) => wallTime(u, timeZone) === wallMs)
    .sort((a, b) => a - b);
  return candidates[0] ?? wallMs - before;
}

// ---- Next occurrence ----------------------------------------------------------------

const MINUTE = 60_000;
const HOUR = 3600_000;
const DAY = 86_400_000;

function dayMatches(cron: Cron, d: Date): boolean {
  const dom = cron.days.has(d.getUTCDate());
  const dow = cron.weekdays.has(d.getUTCDay());
  if (cron.anyDay && cron.anyWeekday) return true;
  if (cron.anyDay) return dow;
  if (cron.anyWeekday) return dom;
  return dom || dow;
}

/** The next wall time strictly after `wallMs` that the cron matches, or null within 5 years. */
function nextWall(cron: Cron, wallMs: number): number | null {
  let t = Math.floor(wallMs / MINUTE) * MINUTE + MINUTE;
  const limit = wallMs + 5 * 366 * DAY;
  while (t <= limit) {
    const d = new Date(t);
    if (!cron.months.has(d.getUTCMonth() + 1)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    } else if (!dayMatches(cron, d)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
    } else if (!cron.hours.has(d.getUTCHours())) {
      t = Math.floor(t / HOUR) * HOUR + HOUR;
    } else if (!cron.minutes.has(d.getUTCMinutes())) {
      t += MINUTE;
    } else {
      return t;
    }
  }
  return null;
}

/** The first time after `after` at which the cron fires in `timeZone`, or null if it never does. */
export function nextCronTime(cron: Cron, after: Date, timeZone: string): Date | null {
  const afterMs = after.getTime();
  let wall = wallTime(afterMs, timeZone);
  // A few rounds at most: only a wall time that maps to an instant not after `after` (the repeated
  // autumn hour) sends the search on.
  for (let i = 0; i < 1000; i++) {
    const next = nextWall(cron, wall);
    if (next === null) return null;
    const instant = instantOfWallTime(next, timeZone);
    if (instant > afterMs) return new Date(instant);
    wall = next;
  }
  return null;
}
