import { useState } from 'react';
import type { Alert } from '@afterhours/shared';
import { useApi } from '../../api/use-api';
import { ScreenHeader } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { Segmented } from '../../components/segmented';
import { AlertCard } from '../../features/alerts/alert-card';
import { useNow } from '../../features/register/use-now';

type Filter = 'unresolved' | 'resolved' | 'all';

/** Alerts, open first: acknowledge and resolve in one tap; each opens to its timeline. */
export function AlertsScreen() {
  const [filter, setFilter] = useState<Filter>('unresolved');
  const list = useApi<{ items: Alert[] }>(`/api/alerts?state=${filter}&limit=200`);
  const now = useNow();
  const items = list.data?.items ?? [];
  return (
    <>
      <ScreenHeader title="Alerts" subtitle="Open first, the longest waiting at the top" />
      <Segmented<Filter>
        label="Show"
        name="alert-filter"
        value={filter}
        onChange={setFilter}
        small
        choices={[
          ['unresolved', 'Open'],
          ['resolved', 'Resolved'],
          ['all', 'All'],
        ]}
      />
      <ErrorNotice error={list.error} onRetry={list.reload} />
      {!list.data && list.loading && <Loading />}
      {list.data && items.length === 0 && (
        <Empty title={filter === 'unresolved' ? 'No open alerts' : 'No alerts'}>
          <p>When a check, a site or a backup job goes wrong, its alert shows here.</p>
        </Empty>
      )}
      {items.length > 0 && (
        <ul className="alert-list" aria-label="Alerts">
          {items.map((a) => (
            <AlertCard key={a.id} alert={a} now={now} onChange={list.reload} />
          ))}
        </ul>
      )}
    </>
  );
}
