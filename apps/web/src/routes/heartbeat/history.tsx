import { useState } from 'react';
import { api } from '../../api/client';
import type { HeartbeatEvent, HeartbeatHistory } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Section } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { formatRunTime } from '../../features/heartbeats/labels';
import { clockTime } from '../../features/monitoring/state';
import { formatNumber } from '../../lib/date-format';

const PAGE = 30;
const ACTION_LABELS: Record<HeartbeatEvent['action'], string> = {
  success: 'Success',
  warning: 'Warning',
  fail: 'Failure',
  start: 'Started',
  log: 'Log',
  ignore: 'Ignored',
};
const ACTION_TONE: Record<HeartbeatEvent['action'], string> = {
  success: 'up',
  warning: 'degraded',
  fail: 'down',
  start: 'unknown',
  log: 'paused',
  ignore: 'paused',
};

/** Pings and e-mails, newest first, times in the site's zone; the first page follows live updates, older pages load on demand. */
export function HistorySection({ heartbeatId, now, timeZone }: { heartbeatId: string; now: Date; timeZone: string }) {
  const first = useApi<HeartbeatHistory>(`/api/heartbeats/${heartbeatId}/history?limit=${PAGE}`);
  const [older, setOlder] = useState<HeartbeatEvent[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined);
  const cursor = next === undefined ? (first.data?.nextBefore ?? null) : next;
  const more = useSubmit(
    () => api.get<HeartbeatHistory>(`/api/heartbeats/${heartbeatId}/history?limit=${PAGE}&before=${cursor}`),
    (page) => {
      setOlder((o) => [...o, ...page.items]);
      setNext(page.nextBefore);
    },
  );
  const newest = first.data?.items ?? [];
  const seen = new Set(newest.map((e) => e.n));
  const events = [...newest, ...older.filter((e) => !seen.has(e.n))];
  return (
    <Section title="History">
      <ErrorNotice error={first.error} onRetry={first.reload} />
      {!first.data && first.loading && <Loading />}
      {first.data && events.length === 0 && <Empty title="No pings yet">The first ping shows here.</Empty>}
      {events.length > 0 && (
        <ol className="card rows history" aria-label="Pings and e-mails, newest first">
          {events.map((e) => (
            <EventRow key={e.n} event={e} now={now} timeZone={timeZone} />
          ))}
        </ol>
      )}
      <ErrorNotice error={more.error} />
      {cursor !== null && first.data && (
        <Button small busy={more.busy} onClick={() => more.submit()}>
          Show older
        </Button>
      )}
    </Section>
  );
}

function EventRow({ event: e, now, timeZone }: { event: HeartbeatEvent; now: Date; timeZone: string }) {
  const tone = ACTION_TONE[e.action];
  const via =
    e.source === 'email' ? `e-mail from ${e.emailFrom ?? 'unknown sender'}` : `${e.method} from ${e.remoteAddr}`;
  return (
    <li className="row row-static history-event">
      <span className={`dot dot-${tone}`} aria-hidden="true" />
      <span className="row-main">
        <span className="row-title">
          <strong className={`tone tone-${tone}`}>{ACTION_LABELS[e.action]}</strong>
          {e.exitStatus !== null && <span className="badge badge-muted">exit {e.exitStatus}</span>}
          {e.durationMs !== null && <span className="badge badge-muted">ran {formatRunTime(e.durationMs)}</span>}
          <time className="muted small" dateTime={e.at}>
            {clockTime(e.at, now, timeZone)}
          </time>
        </span>
        {e.emailSubject && <span className="history-subject">{e.emailSubject}</span>}
        <span className="row-meta">
          {via}
          {e.userAgent && e.source === 'http' ? ` · ${e.userAgent}` : ''}
        </span>
        {e.body && (
          <details className="history-body">
            <summary>
              {e.source === 'email' ? 'Message' : 'Output'} ({formatNumber(e.bodySize)} byte
              {e.bodySize === 1 ? '' : 's'}
              {e.bodySize > e.body.length ? ', cut' : ''})
            </summary>
            <pre>{e.body}</pre>
          </details>
        )}
      </span>
    </li>
  );
}
