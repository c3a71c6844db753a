import { useApi } from '../../api/use-api';
import { ScreenHeader } from '../../components/layout';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import type { Calendar } from '../../features/oncall/types';
import { formatCalendarDay, formatTime, isOtherZone } from '../../lib/date-format';
import './oncall.css';

/** Four weeks of one schedule, a day per row, gaps (nobody on call) highlighted. */
export function OnCallCalendarScreen({ id }: { id: string }) {
  const { data, error, loading, reload } = useApi<Calendar>(`/api/schedules/${id}/calendar?days=28`);
  const tz = data?.schedule.timeZone;
  return (
    <>
      <ScreenHeader
        title={data ? data.schedule.name : 'Calendar'}
        back={{ href: '/oncall', label: 'On call' }}
        subtitle={tz && isOtherZone(tz) ? `Times in ${tz}` : 'Four weeks ahead'}
      />
      <ErrorNotice error={error} onRetry={reload} />
      {!data && loading && <Loading />}
      {data && data.gaps.length > 0 && (
        <Notice tone="warn">
          {data.gaps.length === 1 ? 'One gap' : `${data.gaps.length} gaps`} with nobody on call in these four weeks.
        </Notice>
      )}
      {data && (
        <ol className="card rows" aria-label="Days">
          {data.days.map((day) => (
            <li
              key={day.date}
              className={`oncall-day ${day.hasGap ? 'has-gap' : ''}`}
              data-gap={day.hasGap || undefined}
            >
              <h3>{formatCalendarDay(day.date)}</h3>
              <ul>
                {day.shifts.map((s) => (
                  <li key={s.start} className={s.user ? '' : 'oncall-shift-gap'}>
                    {formatTime(new Date(s.start), tz)}–{formatTime(new Date(s.end), tz)}{' '}
                    {s.user ? s.user.name : 'Nobody on call'}
                    {s.source === 'override' && <span className="muted"> (covering)</span>}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
