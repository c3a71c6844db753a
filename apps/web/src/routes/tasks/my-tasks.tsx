import { useState } from 'react';
import type { Task } from '@afterhours/shared';
import { useApi } from '../../api/use-api';
import { ScreenHeader } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { Segmented } from '../../components/segmented';
import { TaskCard } from '../../features/incidents/task-card';
import '../../features/incidents/incidents.css';

/** My tasks across incidents: overdue and next due first. */
export function MyTasksScreen() {
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const list = useApi<{ items: Task[] }>(`/api/tasks/mine?status=${status}`);
  const items = list.data?.items ?? [];
  return (
    <>
      <ScreenHeader
        title="My tasks"
        subtitle="What is due next, across incidents"
        back={{ href: '/incidents', label: 'Incidents' }}
      />
      <Segmented
        label="Show"
        name="task-filter"
        value={status}
        onChange={setStatus}
        small
        choices={[
          ['open', 'Not done'],
          ['all', 'All'],
        ]}
      />
      <ErrorNotice error={list.error} onRetry={list.reload} />
      {!list.data && list.loading && <Loading />}
      {list.data && items.length === 0 && (
        <Empty title="Nothing for you">
          <p>Tasks given to you on an incident show here, the next due first.</p>
        </Empty>
      )}
      {items.length > 0 && (
        <ul className="task-list" aria-label="My tasks">
          {items.map((t) => (
            <TaskCard key={t.id} task={t} canEdit onChange={list.reload} showIncident />
          ))}
        </ul>
      )}
    </>
  );
}
