import { Link } from 'wouter';
import type { Heartbeat, HeartbeatList, LastNight, LastNightItem } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ChevronIcon } from '../../components/icons';
import { ScreenHeader, Section } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { HeartbeatDot } from '../../features/heartbeats/heartbeat-state';
import { HEARTBEAT_STATUS_LABELS, PROBLEM_LABELS, RESULT_LABELS, siteDateTime } from '../../features/heartbeats/labels';
import { ShareButton } from '../../features/heartbeats/share-button';
import { usePoll } from '../../features/monitoring/use-poll';
import { useMe } from '../../features/session/session';
import '../../features/heartbeats/backups.css';

const PROBLEM_TONE: Record<LastNightItem['problem'], 'down' | 'degraded'> = {
  failure: 'down',
  down: 'down',
  warning: 'degraded',
  late: 'degraded',
  missed: 'degraded',
};

/** "Did last night's backups succeed?" across every client first, then each client's jobs. */
export function BackupsScreen() {
  const { canEdit } = useMe();
  const night = useApi<LastNight>('/api/backups/last-night');
  const all = useApi<HeartbeatList>('/api/heartbeats?limit=1000');
  usePoll(() => {
    night.reload();
    all.reload();
  }, 60_000);
  const items = night.data?.items ?? [];
  const none = all.data?.items.length === 0;
  return (
    <>
      <ScreenHeader title="Backups" subtitle="Last night is 18:00 to 12:00 in each site’s time zone" />
      <Section title="Did last night’s backups succeed?" id="last-night">
        <ErrorNotice error={night.error} onRetry={night.reload} />
        {!night.data && night.loading && <Loading />}
        {night.data && all.data && <Verdict items={items} none={none} />}
        {items.length > 0 && (
          <ul className="lastnight" aria-label="Backups that did not succeed last night">
            {items.map((item) => (
              <LastNightCard key={item.heartbeatId} item={item} />
            ))}
          </ul>
        )}
      </Section>
      <Section title="By client">
        <ErrorNotice error={all.error} onRetry={all.reload} />
        {!all.data && all.loading && <Loading />}
        {none && (
          <Empty title="No backup jobs report in yet">
            {canEdit && (
              <p>
                Open a site, and on its backup job’s system press “Add heartbeat”. The job’s script then calls the
                heartbeat’s ping URL.
              </p>
            )}
          </Empty>
        )}
        {all.data && !none && <ClientList heartbeats={all.data.items} more={all.data.nextCursor !== null} />}
      </Section>
    </>
  );
}

function Verdict({ items, none }: { items: readonly LastNightItem[]; none: boolean }) {
  if (none) return null;
  if (items.length === 0) {
    return (
      <p className="status-strip is-up" role="status">
        <span className="dot dot-up" aria-hidden="true" />
        <span>
          <strong>Yes: all clear.</strong> Every backup succeeded last night.
        </span>
      </p>
    );
  }
  const clients = new Set(items.map((i) => i.clientId)).size;
  const worst = items.some((i) => PROBLEM_TONE[i.problem] === 'down') ? 'down' : 'degraded';
  return (
    <p className={`status-strip is-${worst}`} role="status">
      <span className={`dot dot-${worst}`} aria-hidden="true" />
      <span>
        <strong>
          No: {items.length} backup{items.length === 1 ? '' : 's'} did not succeed
        </strong>{' '}
        at {clients} client{clients === 1 ? '' : 's'}.
      </span>
    </p>
  );
}

function LastNightCard({ item }: { item: LastNightItem }) {
  const tone = PROBLEM_TONE[item.problem];
  return (
    <li className={`card lastnight-item is-${tone}`}>
      <div className="lastnight-head">
        <h3>
          <Link href={`/heartbeats/${item.heartbeatId}`}>{item.name}</Link>
        </h3>
        <span className={`state state-${tone}`}>{PROBLEM_LABELS[item.problem]}</span>
      </div>
      <p className="lastnight-where">
        <Link href={`/backups/clients/${item.clientId}`}>{item.clientName}</Link> · {item.siteName} · {item.systemName}
      </p>
      <p className="lastnight-detail">{item.detail}</p>
      <dl className="lastnight-facts small">
        {item.lastResult && (
          <div>
            <dt>Last report</dt>
            <dd>
              {RESULT_LABELS[item.lastResult.result]}, {siteDateTime(item.lastResult.at, item.timeZone)}
            </dd>
          </div>
        )}
        <div>
          <dt>Last success</dt>
          <dd>{siteDateTime(item.lastSuccessAt, item.timeZone)}</dd>
        </div>
      </dl>
      <div className="lastnight-actions">
        <span className="small muted">Times at the site ({item.timeZone})</span>
        <ShareButton text={item.shareLine} label={`Share ${item.name} with ${item.clientName}`} />
      </div>
    </li>
  );
}

const RANK: Record<Heartbeat['status'], number> = { down: 0, late: 1, degraded: 2, new: 3, up: 4, paused: 5 };

/** Each client with backup jobs: worst state first, with counts by state. */
function ClientList({ heartbeats, more }: { heartbeats: readonly Heartbeat[]; more: boolean }) {
  const byClient = new Map<string, { id: string; name: string; jobs: Heartbeat[] }>();
  for (const h of heartbeats) {
    const entry = byClient.get(h.clientId) ?? { id: h.clientId, name: h.clientName, jobs: [] };
    entry.jobs.push(h);
    byClient.set(h.clientId, entry);
  }
  const worst = (jobs: Heartbeat[]) =>
    jobs.reduce((w, j) => (RANK[j.status] < RANK[w] ? j.status : w), 'paused' as Heartbeat['status']);
  const clients = [...byClient.values()].sort(
    (a, b) => RANK[worst(a.jobs)] - RANK[worst(b.jobs)] || a.name.localeCompare(b.name),
  );
  return (
    <>
      <ul className="card rows" aria-label="Clients with backup jobs">
        {clients.map((c) => {
          const counts = new Map<Heartbeat['status'], number>();
          for (const j of c.jobs) counts.set(j.status, (counts.get(j.status) ?? 0) + 1);
          const line = [...counts]
            .sort(([a], [b]) => RANK[a] - RANK[b])
            .map(([s, n]) => `${n} ${HEARTBEAT_STATUS_LABELS[s].toLowerCase()}`);
          return (
            <li key={c.id}>
              <Link href={`/backups/clients/${c.id}`} className="row">
                <HeartbeatDot status={worst(c.jobs)} />
                <span className="row-main">
                  <span className="row-title">{c.name}</span>
                  <span className="row-meta">
                    {c.jobs.length} job{c.jobs.length === 1 ? '' : 's'} · {line.join(' · ')}
                  </span>
                </span>
                <ChevronIcon />
              </Link>
            </li>
          );
        })}
      </ul>
      {more && <p className="small muted">Showing the first 1,000 jobs.</p>}
    </>
  );
}
