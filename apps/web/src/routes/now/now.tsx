import { Link } from 'wouter';
import type { StatusSummary } from '@afterhours/shared';
import type { HeartbeatSummary, Overview, OverviewClient, StateCounts } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ChevronIcon, ClockIcon } from '../../components/icons';
import { ScreenHeader, Section } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { hasProblems, nowModel, type ClientView, type SiteView } from '../../features/monitoring/now-model';
import { countsLine, totalChecks } from '../../features/monitoring/state';
import { StateDot } from '../../features/monitoring/state-badge';
import { StateTotals } from '../../features/monitoring/state-totals';
import { useFirstScreenful } from '../../features/monitoring/use-first-screenful';
import { usePoll } from '../../features/monitoring/use-poll';
import { HoursBadge, ResponseLine } from '../../features/register/hours-badge';
import { localTime } from '../../features/register/time';
import { formatLongDateTime } from '../../lib/date-format';
import { useNow } from '../../features/register/use-now';
import { useMe } from '../../features/session/session';
import { BackupsLine } from '../../features/heartbeats/backups-line';
import { OpenAlerts } from '../../features/alerts/open-alerts';
import { InMaintenance, useActiveMaintenance } from '../../features/maintenance/in-maintenance';
import type { MaintenanceWindow } from '@afterhours/shared';
import { NowIncidents } from '../../features/incidents/now-incidents';
import { ProblemLines } from './problem-lines';

/** More than a phone's screen holds. */
const FIRST_CLIENTS = 6;

/** Home of the technician on call: what is red, at which client and site, problems first; live. */
export function NowScreen() {
  // The compact summary: counts everywhere, only the checks in trouble listed, no sparklines.
  const status = useApi<StatusSummary>('/api/status/summary');
  const overview = useApi<Overview>('/api/overview');
  const heartbeats = useApi<HeartbeatSummary>('/api/heartbeats/summary');
  const maintenance = useActiveMaintenance();
  usePoll(status.reload, 60_000);
  const { canEdit, user } = useMe();
  const now = useNow();
  const dateLine = formatLongDateTime(now);
  const contracts = new Map(overview.data?.clients.map((c) => [c.id, c]) ?? []);
  const data = status.data;
  const clients = data ? nowModel(data) : [];
  const troubled = clients.filter((c) => hasProblems(c.severity));
  const fine = clients.filter((c) => !hasProblems(c.severity));
  // The first few clients (problems first) are painted before the rest are built.
  const shown = useFirstScreenful(data !== undefined, FIRST_CLIENTS);
  const calmShown = fine.slice(0, Math.max(0, shown - troubled.length));

  return (
    <>
      <ScreenHeader title="Now" subtitle={dateLine} />
      <ErrorNotice error={status.error} onRetry={status.reload} />
      {!data && status.loading && <Loading />}
      {data && (
        <>
          <StateTotals counts={data.counts} heartbeats={heartbeats.data} label="Checks and jobs by state" />
          <Headline counts={data.counts} clients={troubled} />
          <BackupsLine data={heartbeats.data} />
          <NowIncidents now={now} />
          <OpenAlerts now={now} />
          {clients.length === 0 ? (
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
            <>
              {troubled.length > 0 && (
                <Section title="Problems">
                  <ul className="overview" aria-label="Clients with problems">
                    {troubled.slice(0, shown).map((c) => (
                      <ClientCard
                        key={c.client.id}
                        view={c}
                        contract={contracts.get(c.client.id)}
                        now={now}
                        maintenance={maintenance}
                      />
                    ))}
                  </ul>
                </Section>
              )}
              {calmShown.length > 0 && (
                <Section title={troubled.length > 0 ? 'Everything else' : 'Clients'}>
                  <ul className="overview overview-calm" aria-label="Clients without problems">
                    {calmShown.map((c) => (
                      <ClientCard
                        key={c.client.id}
                        view={c}
                        contract={contracts.get(c.client.id)}
                        now={now}
                        maintenance={maintenance}
                      />
                    ))}
                  </ul>
                </Section>
              )}
            </>
          )}
        </>
      )}
    </>
  );
}

function Headline({ counts, clients }: { counts: StateCounts; clients: ClientView[] }) {
  const total = totalChecks(counts);
  if (total === 0) {
    return (
      <p className="status-strip" role="status">
        <StateDot state="none" />
        <span>
          <strong>No checks yet.</strong> Open a site and add checks to its systems; they show here.
        </span>
      </p>
    );
  }
  const sites = clients.flatMap((c) => c.sites).filter((s) => hasProblems(s.severity));
  if (sites.length === 0) {
    return (
      <p className="status-strip is-up" role="status">
        <StateDot state="up" />
        <span>
          <strong>All clear.</strong> {counts.up} check{counts.up === 1 ? '' : 's'} up
          {counts.paused ? `, ${counts.paused} paused` : ''}.
        </span>
      </p>
    );
  }
  const worst = sites[0]!.severity;
  return (
    <p className={`status-strip is-${worst}`} role="status">
      <StateDot state={worst} />
      <span>
        <strong>
          {sites.length} site{sites.length === 1 ? '' : 's'} with problems
        </strong>{' '}
        at {clients.length} client{clients.length === 1 ? '' : 's'}.
      </span>
    </p>
  );
}

function ClientCard({
  view,
  contract,
  now,
  maintenance,
}: {
  view: ClientView;
  contract: OverviewClient | undefined;
  now: Date;
  maintenance: readonly MaintenanceWindow[];
}) {
  const { client, sites } = view;
  return (
    <li className={`card overview-client is-${view.severity}`}>
      <div className="overview-client-head">
        <h3>
          <Link href={`/clients/${client.id}`}>{client.name}</Link>
        </h3>
        {contract && <HoursBadge hours={contract.contract.supportHours} now={now} />}
      </div>
      {contract && (
        <p className="muted small">
          <ResponseLine contract={contract.contract} now={now} />
        </p>
      )}
      {sites.length === 0 ? (
        <p className="muted small">No sites yet.</p>
      ) : (
        <ul className="rows" aria-label={`Sites of ${client.name}`}>
          {sites.map((s) => (
            <SiteRow key={s.site.id} view={s} now={now} maintenance={maintenance} />
          ))}
        </ul>
      )}
    </li>
  );
}

function SiteRow({ view, now, maintenance }: { view: SiteView; now: Date; maintenance: readonly MaintenanceWindow[] }) {
  const window = maintenance.find((w) => w.siteId === view.site.id && w.active);
  const { site, severity, problems } = view;
  const monitored = totalChecks(site.counts) > 0;
  return (
    <li className={`site-status is-${severity}`}>
      <Link href={`/sites/${site.id}`} className="row">
        <StateDot state={severity} />
        <span className="row-main">
          <span className="row-title">{site.name}</span>
          <span className="row-meta">
            <ClockIcon /> {localTime(site.timeZone, now)} · {monitored ? countsLine(site.counts) : 'not monitored yet'}
          </span>
        </span>
        <ChevronIcon />
      </Link>
      {window && (
        <InMaintenance
          window={window}
          now={now}
          what={
            window.systemIds.length
              ? `${window.systemIds.length} system${window.systemIds.length === 1 ? '' : 's'}`
              : undefined
          }
        />
      )}
      {problems.length > 0 && <ProblemLines problems={problems} timeZone={site.timeZone} now={now} />}
    </li>
  );
}
