import { Link } from 'wouter';
import type { Overview, OverviewClient } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ChevronIcon, ClockIcon } from '../../components/icons';
import { ScreenHeader } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { formatMinutes } from '../../features/register/contract';
import { HoursBadge } from '../../features/register/hours-badge';
import { localTime } from '../../features/register/time';
import { useNow } from '../../features/register/use-now';
import { useMe } from '../../features/session/session';

/** Home: every client and its sites at a glance. Monitoring will colour the status dots. */
export function NowScreen() {
  const { data, error, loading, reload } = useApi<Overview>('/api/overview');
  const { canEdit, user } = useMe();
  const now = useNow();
  const dateLine = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(now);

  return (
    <>
      <ScreenHeader title="Now" subtitle={dateLine} />
      <ErrorNotice error={error} onRetry={reload} />
      {!data && loading && <Loading />}
      {data && (
        <>
          <dl className="totals" aria-label="Totals">
            <Total label="Clients" value={data.totals.clients} />
            <Total label="Sites" value={data.totals.sites} />
            <Total label="Systems" value={data.totals.systems} />
          </dl>

          <div className="status-strip" role="status">
            <span className="dot dot-unknown" aria-hidden="true" />
            <span>
              <strong>No monitoring yet.</strong> Systems show grey until their checks report.
            </span>
          </div>

          {data.clients.length === 0 ? (
            <Empty title={user.role === 'client' ? 'Nothing to show yet' : 'No clients yet'}>
              {canEdit && (
                <>
                  <p>Add a client, then its sites and their systems, and they appear here.</p>
                  <Link href="/clients?add=1" className="btn btn-primary">
                    Add your first client
                  </Link>
                </>
              )}
            </Empty>
          ) : (
            <ul className="overview" aria-label="Clients and sites">
              {data.clients.map((client) => (
                <ClientCard key={client.id} client={client} now={now} />
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}

function Total({ label, value }: { label: string; value: number }) {
  return (
    <div className="total">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function ClientCard({ client, now }: { client: OverviewClient; now: Date }) {
  return (
    <li className="card overview-client">
      <div className="overview-client-head">
        <h2>
          <Link href={`/clients/${client.id}`}>{client.name}</Link>
        </h2>
        <HoursBadge hours={client.contract.supportHours} now={now} />
      </div>
      <p className="muted small">
        Respond within {formatMinutes(client.contract.responseTargetMinutes)} · {client.systemCount} system{client.systemCount === 1 ? '' : 's'}
      </p>
      {client.sites.length === 0 ? (
        <p className="muted small">No sites yet.</p>
      ) : (
        <ul className="rows">
          {client.sites.map((site) => (
            <li key={site.id}>
              <Link href={`/sites/${site.id}`} className="row">
                <span className="dot dot-unknown" title="Not monitored yet" aria-hidden="true" />
                <span className="row-main">
                  <span className="row-title">{site.name}</span>
                  <span className="row-meta">
                    <ClockIcon /> {localTime(site.timeZone, now)} · {site.systemCount} system{site.systemCount === 1 ? '' : 's'}
                  </span>
                </span>
                <ChevronIcon />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
