/**
 * Intl.DateTimeFormat objects, made once per locale and options and reused. Making one costs far more
 * than formatting with it (it loads the zone's rules): Now formats a time for each of hundreds of
 * sites and problems, and building a formatter each time was most of the screen's first render.
 */
const cache = new Map<string, Intl.DateTimeFormat>();

/** A formatter for these options (and `undefined`, the device's locale, by default); throws for an unknown time zone, like Intl. */
export function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}

const zones = new Map<string, boolean>();

/** Whether the browser knows this IANA time zone; remembered. */
export function knownTimeZone(value: string): boolean {
  if (!value) return false;
  let known = zones.get(value);
  if (known === undefined) {
    try {
      dateFormat('en', { timeZone: value });
      known = true;
    } catch {
      known = false;
    }
    zones.set(value, known);
  }
  return known;
}

/** The device's IANA time zone ("UTC" when the browser cannot say). */
export function deviceTimeZone(): string {
  try {
    return dateFormat(undefined, {}).resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * Whether `timeZone` is another zone than the device's, so a screen showing times in it should say
 * which (compared by the browser's canonical names: "Etc/UTC" and "UTC" are the same zone). An unknown
 * zone is not another: times fall back to the device's.
 */
export function isOtherZone(timeZone: string): boolean {
  if (!knownTimeZone(timeZone)) return false;
  return dateFormat('en', { timeZone }).resolvedOptions().timeZone !== deviceTimeZone();
}
