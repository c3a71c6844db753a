import { instantOfWallTime, wallTime } from '@afterhours/shared';

// Date-and-time inputs meant on a site's wall clock (a planned outage at the office), not the phone's.

/** "YYYY-MM-DDTHH:MM" of an instant on the wall clock in `timeZone` (the site's), for datetime-local inputs. */
export function zonedInput(at: Date, timeZone: string): string {
  return new Date(wallTime(at.getTime(), timeZone)).toISOString().slice(0, 16);
}

/**
 * The instant a datetime-local value means on the wall clock in `timeZone` (the site's, not the phone's), as
 * ISO 8601; the value itself when it is not a date and time (the hub then says what is wrong).
 */
export function instantOfZonedInput(local: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return local;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return new Date(instantOfWallTime(wall, timeZone)).toISOString();
}
