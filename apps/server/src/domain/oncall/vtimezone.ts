import { zoneOffset } from '@afterhours/shared';

/**
 * A VTIMEZONE (RFC 5545 §3.6.5) for a zone, from the platform's time zone data (Intl): one observance
 * per offset change between `from` and `to`, each with its exact onset, so calendar apps place the
 * shifts correctly on both sides of a daylight-saving change without a bundled zone database.
 */
export function vtimezone(timeZone: string, from: Date, to: Date): string {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`];
  const changes = offsetChanges(timeZone, from.getTime(), to.getTime());
  const base = Math.min(...[zoneOffset(from.getTime(), timeZone), ...changes.map((c) => c.to)]);
  // The offset in force at `from`, as the first observance, so times before the first change resolve too.
  const first = zoneOffset(from.getTime(), timeZone);
  const observances = [{ at: Date.UTC(1970, 0, 1), from: first, to: first }, ...changes];
  for (const o of observances) {
    const kind = o.to > base ? 'DAYLIGHT' : 'STANDARD';
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${localStamp(o.at + o.from)}`,
      `TZOFFSETFROM:${offsetText(o.from)}`,
      `TZOFFSETTO:${offsetText(o.to)}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return `${lines.join('\r\n')}\r\n`;
}

interface Change {
  at: number;
  from: number;
  to: number;
}

const STEP = 86_400_000;

/** Instants at which the zone's offset changes in [from, to), found day by day then to the minute (zones never change twice a day). */
export function offsetChanges(timeZone: string, from: number, to: number): Change[] {
  const out: Change[] = [];
  let t = Math.floor(from / STEP) * STEP;
  let previous = zoneOffset(t, timeZone);
  for (t += STEP; t < to; t += STEP) {
    const current = zoneOffset(t, timeZone);
    if (current === previous) continue;
    let lo = t - STEP;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (zoneOffset(mid, timeZone) === previous) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi, from: previous, to: current });
    previous = current;
  }
  return out;
}

function localStamp(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(0, 19).replace(/[-:]/g, '');
}

function offsetText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}
