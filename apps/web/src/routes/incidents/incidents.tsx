import { useState } from 'react';
import { Link } from 'wouter';
import type { IncidentSummary } from '@afterhours/shared';
import { useApi } from '../../api/use-api';
import { ScreenHeader } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { Segmented } from '../../components/segmented';
import { IncidentCard } from '../../features/incidents/incident-card';
import { useNow } from '../../features/register/use-now';
import { useMe } from '../../features/session/session';
import '../../features/incidents/incidents.css';

type Filter = 'open' | 'resolved' | 'all';

/** Incidents, open first; a client account sees its own firm's only. */
export function IncidentsScreen() {
  const [filter, setFilter] = useState<Filter>('open');
  const list = useApi<{ items: IncidentSummary[] }>(`/api/incidents?state=${filter}`);
  const { canEdit } = useMe();
  const now = useNow();
  const items = list.data?.items ?? [];
  return (
    <>
      <ScreenHeader
        title="Incidents"
        subtitle="Open first, the newest at the top"
        actions={
          canEdit && (
            <Link href="/incidents/new" className="btn btn-primary">
              New incident
            </Link>
          )
        }
      />
      {canEdit && (
        <p>
          <Link href="/tasks">My tasks</Link>
        </p>
      )}
      <Segmented<Filter>
        label="Show"
        name="incident-filter"
        value={filter}
        onChange={setFilter}
        small
        choices={[
          ['open', 'Open'],
          ['resolved', 'Resolved'],
          ['all', 'All'],
        ]}
      />
      <ErrorNotice error={list.error} onRetry={list.reload} />
      {!list.data && list.loading && <Loading />}
      {list.data && items.length === 0 && (
        <Empty title={filter === 'open' ? 'No open incidents' : 'No incidents'}>
          <p>When a client calls or an alert needs more than one person, open an incident to run it.</p>
        </Empty>
      )}
      {items.length > 0 && (
        <ul className="alert-list" aria-label="Incidents">
          {items.map((i) => (
            <IncidentCard key={i.id} incident={i} now={now} />
          ))}
        </ul>
      )}
    </>
  );
}
