import { Link } from 'wouter';
import type { AlertDetail } from '@afterhours/shared';
import { useApi } from '../../api/use-api';
import { ScreenHeader, Section } from '../../components/layout';
import { ErrorNotice, Loading } from '../../components/notice';
import { AlertCard } from '../../features/alerts/alert-card';
import { useNow } from '../../features/register/use-now';
import { useMe } from '../../features/session/session';
import { clockTime } from '../../lib/date-format';

/** One alert: what changed, who was paged on which channel and what became of each message, who acknowledged. */
export function AlertScreen({ id }: { id: string }) {
  const detail = useApi<AlertDetail>(`/api/alerts/${id}`);
  const now = useNow();
  const { canEdit } = useMe();
  const data = detail.data;
  return (
    <>
      <ScreenHeader title={data?.alert.title ?? 'Alert'} back={{ href: '/alerts', label: 'Alerts' }} />
      <ErrorNotice error={detail.error} onRetry={detail.reload} />
      {!data && detail.loading && <Loading />}
      {data && (
        <>
          <ul className="alert-list" aria-label="This alert">
            <AlertCard alert={data.alert} now={now} onChange={detail.reload} />
          </ul>
          {data.alert.failing.length > 0 && (
            <Section title="Failing checks">
              <ul className="card rows">
                {data.alert.failing.map((f) => (
                  <li key={f.checkId} className="row">
                    <span className="row-main">
                      <span className="row-title">{f.name}</span>
                      <span className="row-meta">
                        since {clockTime(f.since, now)} · {f.reason}
                      </span>
                    </span>
                  </li>
                ))}
              </ul>
            </Section>
          )}
          {data.alert.affected.length > 0 && (
            <Section title="Unknown because of it">
              <ul className="card rows">
                {data.alert.affected.map((a) => (
                  <li key={a.checkId} className="row">
                    <span className="row-main">
                      <span className="row-title">{a.name}</span>
                      <span className="row-meta">since {clockTime(a.at, now)}</span>
                    </span>
                  </li>
                ))}
              </ul>
            </Section>
          )}
          <Section title="Timeline">
            <ol className="card timeline" aria-label="Timeline">
              {data.timeline.map((e, i) => (
                <li key={`${e.at}-${i}`} className={`timeline-item is-${e.kind}`}>
                  <time dateTime={e.at}>{clockTime(e.at, now)}</time>
                  <span>{e.summary}</span>
                </li>
              ))}
            </ol>
          </Section>
          {data.deliveries.length > 0 && (
            <Section title="Messages">
              <ol className="card timeline" aria-label="Messages sent">
                {data.deliveries.map((d, i) => (
                  <li key={`${d.at}-${i}`} className={`timeline-item is-${d.status}`}>
                    <time dateTime={d.at}>{clockTime(d.at, now)}</time>
                    <span>
                      {d.userName ?? 'someone'} · {d.channel} · <strong>{d.status.replace(/_/g, ' ')}</strong>
                      {d.detail ? ` · ${d.detail}` : ''}
                    </span>
                  </li>
                ))}
              </ol>
            </Section>
          )}
          {canEdit && data.alert.state !== 'resolved' && data.alert.clientId && (
            <p>
              <Link href={`/incidents/new?alert=${data.alert.id}`} className="btn btn-secondary btn-block">
                Open an incident from this alert
              </Link>
            </p>
          )}
          <p className="muted small">
            {data.alert.pages
              ? `Pages through ${data.alert.policyName ?? 'the default policy'}.`
              : data.alert.pageReason}
          </p>
        </>
      )}
    </>
  );
}
