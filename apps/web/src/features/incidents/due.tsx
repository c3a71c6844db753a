import { formatDateTime, isOtherZone } from '../../lib/date-format';

/** A due time in the viewer's zone, and in the site's when that differs ("Sat 5 Dec, 07:00 · 08:00 at the site"). */
export function DueTime({ at, siteTimeZone }: { at: string; siteTimeZone: string | null }) {
  return (
    <>
      <time dateTime={at}>{formatDateTime(at)}</time>
      {siteTimeZone && isOtherZone(siteTimeZone) && (
        <span className="muted">
          {' '}
          · {formatDateTime(at, siteTimeZone)} at the site ({siteTimeZone})
        </span>
      )}
    </>
  );
}
