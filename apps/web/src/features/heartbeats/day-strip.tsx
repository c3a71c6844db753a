import type { BackupJob } from '../../api/types';
import { DAY_RESULT_LABELS, dayLabel } from './labels';

/**
 * The last 30 days, oldest first, one square per day in the site's time zone. Each square carries
 * its day and result as text for screen readers (and as a tooltip), so colour is never the only sign.
 */
export function DayStrip({ days, name }: { days: BackupJob['calendar']; name: string }) {
  const counts = { success: 0, warning: 0, failure: 0, missed: 0 };
  for (const d of days) if (d.result !== 'none') counts[d.result]++;
  return (
    <div className="day-strip-wrap">
      <ol className="day-strip" aria-label={`Last 30 days of ${name}`}>
        {days.map((d) => {
          const text = `${dayLabel(d.date)}: ${DAY_RESULT_LABELS[d.result]}`;
          return (
            <li key={d.date} className={`day day-${d.result}`} title={text}>
              <span className="visually-hidden">{text}</span>
            </li>
          );
        })}
      </ol>
      <p className="day-strip-legend small muted" aria-hidden="true">
        <span>
          <i className="day day-success" /> {counts.success} ok
        </span>
        <span>
          <i className="day day-warning" /> {counts.warning} warning
        </span>
        <span>
          <i className="day day-failure" /> {counts.failure} failed
        </span>
        <span>
          <i className="day day-missed" /> {counts.missed} missed
        </span>
      </p>
    </div>
  );
}
