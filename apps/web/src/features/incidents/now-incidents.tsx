import { Link } from 'wouter';
import type { IncidentSummary, Task } from '@afterhours/shared';
import { useApi } from '../../api/use-api';
import { Section } from '../../components/layout';
import { clockTime } from '../../lib/date-format';
import { clockClass, clockLine, STATUS_LABEL } from './labels';
import './incidents.css';

/** Now's open incidents and overdue tasks: what is being handled, by whom, and what is late. */
export function NowIncidents({ now }: { now: Date }) {
  const incidents = useApi<{ items: IncidentSummary[] }>('/api/incidents?state=open&limit=20');
  const overdue = useApi<{ items: Task[] }>('/api/tasks/overdue');
  const open = incidents.data?.items ?? [];
  const late = overdue.data?.items ?? [];
  return (
    <>
      {open.length > 0 && (
        <Section title={`Open incidents (${open.length})`} actions={<Link href="/incidents">All incidents</Link>}>
          <ul className="card rows" aria-label="Open incidents">
            {open.map((i) => {
              const clock = i.acknowledgedAt ? i.response.resolve : i.response.acknowledge;
              return (
                <li key={i.id} className="alert-line">
                  <Link href={`/incidents/${i.id}`} className="row">
                    <span className="row-main">
                      <span className="row-title">
                        #{i.number} {i.title}
                      </span>
                      <span className="row-meta">
                        {i.clientName} · {STATUS_LABEL[i.status]}
                        {i.owner ? ` · ${i.owner.name}` : ''}
                      </span>
                      <span className={clockClass(clock)}>
                        {clockLine(i.acknowledgedAt ? 'resolve' : 'acknowledge', clock)}
                      </span>
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </Section>
      )}
      {late.length > 0 && (
        <Section title={`Overdue tasks (${late.length})`}>
          <ul className="card rows" aria-label="Overdue tasks">
            {late.map((t) => (
              <li key={t.id} className="alert-line is-overdue">
                <Link href={`/incidents/${t.incidentId}`} className="row">
                  <span className="row-main">
                    <span className="row-title">{t.title}</span>
                    <span className="row-meta">
                      {t.assignee?.name ?? 'Nobody'} · due {t.dueAt ? clockTime(t.dueAt, now) : ''} · #
                      {t.incidentNumber} {t.clientName}
                    </span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </Section>
      )}
    </>
  );
}
