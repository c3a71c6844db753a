import { useState } from 'react';
import { Link } from 'wouter';
import { useApi } from '../../api/use-api';
import { Button } from '../../components/button';
import { ScreenHeader, Section } from '../../components/layout';
import { Empty, ErrorNotice, Loading, Notice } from '../../components/notice';
import { CoverDialog } from '../../features/oncall/cover-dialog';
import { FeedDialog } from '../../features/oncall/feed-dialog';
import type { MyShift, OnCallNow, ScheduleNow, Shift } from '../../features/oncall/types';
import { useMe } from '../../features/session/session';
import { formatDayTime, isOtherZone } from '../../lib/date-format';
import './oncall.css';

/** On call: for each schedule who is on call now and next, the gaps coming, my shifts, and "I'll cover". */
export function OnCallScreen() {
  const { canManage } = useMe();
  const now = useApi<OnCallNow>('/api/oncall');
  const mine = useApi<{ items: MyShift[] }>('/api/oncall/my-shifts?days=28');
  const [covering, setCovering] = useState<ScheduleNow['schedule'] | null>(null);
  const [feed, setFeed] = useState(false);
  return (
    <>
      <ScreenHeader
        title="On call"
        actions={
          <>
            <Link href="/oncall/schedules" className="btn btn-secondary btn-small">
              Schedules
            </Link>
            <Link href="/oncall/teams" className="btn btn-secondary btn-small">
              Teams
            </Link>
            <Link href="/oncall/policies" className="btn btn-secondary btn-small">
              Policies
            </Link>
          </>
        }
      />
      <ErrorNotice error={now.error} onRetry={now.reload} />
      {!now.data && now.loading && <Loading />}
      {now.data && now.data.items.length === 0 && (
        <Empty title="No schedules yet">
          {canManage ? (
            <Link href="/oncall/schedules">Make the first schedule</Link>
          ) : (
            'An owner or admin sets up who is on call.'
          )}
        </Empty>
      )}
      {now.data?.items.map((item) => (
        <ScheduleCard key={item.schedule.id} item={item} onCover={() => setCovering(item.schedule)} />
      ))}

      <Section
        title="My shifts"
        actions={
          <Button small variant="ghost" onClick={() => setFeed(true)}>
            Calendar feed
          </Button>
        }
      >
        <ErrorNotice error={mine.error} onRetry={mine.reload} />
        {mine.data && mine.data.items.length === 0 && <p className="muted">No shifts in the coming four weeks.</p>}
        {mine.data && mine.data.items.length > 0 && (
          <ul className="card rows" aria-label="My shifts">
            {mine.data.items.map((s) => (
              <li key={`${s.schedule.id}-${s.start}`} className="row row-static">
                <span className="row-main">
                  <span className="row-title">
                    {formatDayTime(s.start, s.schedule.timeZone)} – {formatDayTime(s.end, s.schedule.timeZone)}
                  </span>
                  <span className="row-meta">
                    {s.schedule.name}
                    {s.source === 'override' && ' · covering'}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      {covering && (
        <CoverDialog
          scheduleId={covering.id}
          scheduleName={covering.name}
          onClose={() => setCovering(null)}
          onDone={() => {
            setCovering(null);
            now.reload();
            mine.reload();
          }}
        />
      )}
      {feed && (
        <FeedDialog path="/api/oncall/my-ical" title="My shifts in a calendar app" onClose={() => setFeed(false)} />
      )}
    </>
  );
}

function who(shift: Shift): string {
  return shift.user ? shift.user.name : 'Nobody';
}

function ScheduleCard({ item, onCover }: { item: ScheduleNow; onCover: () => void }) {
  const tz = item.schedule.timeZone;
  const gapNow = item.now.user === null;
  return (
    <section className={`card oncall-card ${gapNow ? 'is-gap' : ''}`} aria-label={item.schedule.name}>
      <div className="oncall-head">
        <h2>{item.schedule.name}</h2>
        {isOtherZone(tz) && <span className="badge badge-muted">{tz}</span>}
      </div>
      <p className="oncall-now" data-testid="on-call-now">
        <span className="oncall-label">Now</span>
        <strong className={gapNow ? 'text-danger' : ''}>{who(item.now)}</strong>
        {item.now.source === 'override' && <span className="badge badge-info">covering</span>}
        <span className="muted"> until {formatDayTime(item.now.end, tz)}</span>
      </p>
      {item.next && (
        <p className="oncall-next">
          <span className="oncall-label">Next</span>
          <span className={item.next.user ? '' : 'text-danger'}>{who(item.next)}</span>
          <span className="muted"> from {formatDayTime(item.next.start, tz)}</span>
        </p>
      )}
      {item.gaps.length > 0 && (
        <Notice tone="warn">
          {item.gaps.length === 1 ? 'One gap' : `${item.gaps.length} gaps`} with nobody on call this week, first{' '}
          {formatDayTime(item.gaps[0]!.start, tz)} – {formatDayTime(item.gaps[0]!.end, tz)}.
        </Notice>
      )}
      <div className="card-actions">
        <Button variant="primary" onClick={onCover}>
          Cover a shift
        </Button>
        <Link href={`/oncall/schedules/${item.schedule.id}/calendar`} className="btn btn-secondary">
          Four weeks
        </Link>
      </div>
    </section>
  );
}
