import { Link } from 'wouter';
import type { BackupJob, ClientBackups } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ScreenHeader, Section } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { DayStrip } from '../../features/heartbeats/day-strip';
import { HeartbeatBadge, HeartbeatDot, LastResultText } from '../../features/heartbeats/heartbeat-state';
import { formatRunTime, siteDateTime } from '../../features/heartbeats/labels';
import { usePoll } from '../../features/monitoring/use-poll';
import { useNow } from '../../features/register/use-now';
import { useMe } from '../../features/session/session';
import '../../features/heartbeats/backups.css';

/** One client's backup jobs by site: last result, last success, typical run time, 30 days. */
export function ClientBackupsScreen({ id }: { id: string }) {
  const { canEdit } = useMe();
  const now = useNow();
  const { data, error, loading, reload } = useApi<ClientBackups>(`/api/clients/${id}/backups`);
  usePoll(reload, 60_000);
  if (!data) {
    return (
      <>
        <ScreenHeader
          title={error?.status === 404 ? 'Client not found' : 'Backups'}
          back={{ href: '/backups', label: 'Backups' }}
        />
        <ErrorNotice error={error} onRetry={error?.status === 404 ? undefined : reload} />
        {loading && <Loading />}
      </>
    );
  }
  const sites = new Map<string, { name: string; jobs: BackupJob[] }>();
  for (const job of data.jobs) {
    const site = sites.get(job.siteId) ?? { name: job.siteName, jobs: [] };
    site.jobs.push(job);
    sites.set(job.siteId, site);
  }
  return (
    <>
      <ScreenHeader
        title={`${data.clientName} backups`}
        back={{ href: '/backups', label: 'Backups' }}
        subtitle={
          <>
            {data.jobs.length} job{data.jobs.length === 1 ? '' : 's'} ·{' '}
            <Link href={`/clients/${id}`}>{data.clientName}</Link>
          </>
        }
      />
      {data.jobs.length === 0 && (
        <Empty title="No backup jobs report in yet">
          {canEdit && <p>Open one of the client’s sites, and on the backup job’s system press “Add heartbeat”.</p>}
        </Empty>
      )}
      {[...sites].map(([siteId, site]) => (
        <Section key={siteId} title={site.name} id={`site-${siteId}`}>
          <ul className="jobs" aria-label={`Backup jobs at ${site.name}`}>
            {site.jobs.map((job) => (
              <JobCard key={job.heartbeatId} job={job} now={now} />
            ))}
          </ul>
        </Section>
      ))}
    </>
  );
}

function JobCard({ job, now }: { job: BackupJob; now: Date }) {
  return (
    <li className="card job">
      <div className="lastnight-head">
        <HeartbeatDot status={job.status} />
        <h3>
          <Link href={`/heartbeats/${job.heartbeatId}`}>{job.name}</Link>
        </h3>
        <HeartbeatBadge status={job.status} />
      </div>
      <p className="lastnight-where">
        {job.systemName}
        {job.status !== 'up' && ` · ${job.statusReason}`}
      </p>
      <dl className="lastnight-facts small">
        <div>
          <dt>Last result</dt>
          <dd>
            <LastResultText lastResult={job.lastResult} now={now} />
          </dd>
        </div>
        <div>
          <dt>Last success</dt>
          <dd>{siteDateTime(job.lastSuccessAt, job.timeZone)}</dd>
        </div>
        <div>
          <dt>Runs take</dt>
          <dd>{job.typicalDurationMs === null ? 'not timed yet' : `about ${formatRunTime(job.typicalDurationMs)}`}</dd>
        </div>
      </dl>
      <DayStrip days={job.calendar} name={job.name} />
    </li>
  );
}
