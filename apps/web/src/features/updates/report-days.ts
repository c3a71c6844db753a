/** Lines of a report grouped by the day they fell on in a time zone, each with its time of day written. */
export interface ReportDay<T> {
  day: string;
  lines: { entry: T; time: string }[];
}

/**
 * Groups thousands of timeline lines by local day with few formatter calls: time zones are offset by whole
 * quarter hours, so the local day cannot change inside a UTC quarter hour (a few hundred day formats), and
 * lines of the same minute share one time format.
 */
export function reportDays<T extends { at: string }>(
  entries: readonly T[],
  dayOf: Intl.DateTimeFormat,
  timeOf: Intl.DateTimeFormat,
): ReportDay<T>[] {
  const dayIn = memo((quarter: string) => dayOf.format(new Date(quarter)));
  const timeIn = memo((minute: string) => timeOf.format(new Date(minute)));
  const days: ReportDay<T>[] = [];
  for (const entry of entries) {
    const iso = new Date(entry.at).toISOString();
    const day = dayIn(quarterHour(iso));
    const line = { entry, time: timeIn(`${iso.slice(0, 16)}Z`) };
    const last = days[days.length - 1];
    if (last?.day === day) last.lines.push(line);
    else days.push({ day, lines: [line] });
  }
  return days;
}

function memo(compute: (key: string) => string): (key: string) => string {
  const seen = new Map<string, string>();
  return (key) => {
    let value = seen.get(key);
    if (value === undefined) {
      value = compute(key);
      seen.set(key, value);
    }
    return value;
  };
}

/** "2026-12-05T14:07:31.000Z" → "2026-12-05T14:00Z": the start of its UTC quarter hour. */
function quarterHour(iso: string): string {
  const minute = Number(iso.slice(14, 16));
  return `${iso.slice(0, 14)}${String(minute - (minute % 15)).padStart(2, '0')}Z`;
}
