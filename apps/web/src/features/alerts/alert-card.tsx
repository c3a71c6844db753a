import { Link } from 'wouter';
import type { Alert } from '@afterhours/shared';
import { api } from '../../api/client';
import { ActionButton } from '../../components/action-button';
import { clockTime } from '../../lib/date-format';
import { useMe } from '../session/session';

const STATE_LABEL: Record<Alert['state'], string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

/** Who has it, or why nobody was paged: the line a technician reads first. */
export function whoHasIt(alert: Alert, now: Date): string {
  if (alert.state === 'resolved')
    return alert.resolvedBy
      ? `Resolved by ${alert.resolvedBy.name} ${clockTime(alert.resolvedAt!, now)}`
      : `Recovered ${clockTime(alert.resolvedAt!, now)}`;
  if (alert.acknowledgedBy)
    return `${alert.acknowledgedBy.name} has it (since ${clockTime(alert.acknowledgedAt!, now)})`;
  if (!alert.pages) return alert.pageReason;
  if (alert.paged.length) return `Paging ${alert.paged.map((p) => p.name).join(', ')}`;
  return 'Paging…';
}

/** One alert: what, where, since when, who has it; acknowledge and resolve in one tap each. */
export function AlertCard({ alert, now, onChange }: { alert: Alert; now: Date; onChange: () => void }) {
  const { canEdit } = useMe();
  const where = [alert.clientName, alert.siteName].filter(Boolean).join(' · ');
  return (
    <li className={`card alert-card is-${alert.state}`}>
      <Link href={`/alerts/${alert.id}`} className="alert-card-main">
        <span className={`alert-state is-${alert.state}`}>
          {STATE_LABEL[alert.state]}
          {alert.flapping && ' · flapping'}
          {alert.inMaintenance && ' · in maintenance'}
        </span>
        <span className="row-title">{alert.title}</span>
        {where && <span className="row-meta">{where}</span>}
        <span className="row-meta">
          Since {clockTime(alert.openedAt, now)} · {alert.reason}
        </span>
        {alert.failing.length > 1 && (
          <span className="row-meta">Failing: {alert.failing.map((f) => f.name).join(', ')}</span>
        )}
        {alert.affected.length > 0 && (
          <span className="row-meta">
            {alert.affected.length} check{alert.affected.length === 1 ? '' : 's'} unknown because of it
          </span>
        )}
        <span className="alert-who">{whoHasIt(alert, now)}</span>
      </Link>
      {canEdit && alert.state !== 'resolved' && (
        <div className="alert-actions">
          {alert.state === 'open' && (
            <ActionButton
              variant="primary"
              action={() => api.post(`/api/alerts/${alert.id}/acknowledge`)}
              onDone={onChange}
              aria-label={`Acknowledge ${alert.title}`}
            >
              Acknowledge
            </ActionButton>
          )}
          <ActionButton
            action={() => api.post(`/api/alerts/${alert.id}/resolve`)}
            onDone={onChange}
            aria-label={`Resolve ${alert.title}`}
          >
            Resolve
          </ActionButton>
        </div>
      )}
    </li>
  );
}
