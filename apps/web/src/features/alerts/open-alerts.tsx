import { Link } from 'wouter';
import type { Alert } from '@afterhours/shared';
import { useApi } from '../../api/use-api';
import { Section } from '../../components/layout';
import { whoHasIt } from './alert-card';

/** Now's open alerts: what is alerting and who has it, oldest first; a tap opens the alert. */
export function OpenAlerts({ now }: { now: Date }) {
  const alerts = useApi<{ items: Alert[] }>('/api/alerts?state=unresolved&limit=20');
  const items = alerts.data?.items ?? [];
  if (!items.length) return null;
  return (
    <Section title={`Open alerts (${items.length})`} actions={<Link href="/alerts">All alerts</Link>}>
      <ul className="card rows" aria-label="Open alerts">
        {items.map((a) => (
          <li key={a.id} className={`alert-line is-${a.state}`}>
            <Link href={`/alerts/${a.id}`} className="row">
              <span className="row-main">
                <span className="row-title">{a.title}</span>
                <span className="row-meta">{[a.clientName, a.siteName].filter(Boolean).join(' · ')}</span>
                <span className="alert-who">{whoHasIt(a, now)}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </Section>
  );
}
