import type { DeliveryLogEntry } from '../../api/types';
import type { ApiState } from '../../api/use-api';
import { Section } from '../../components/layout';
import { Empty, ErrorNotice } from '../../components/notice';
import { timeAgo } from '../register/time';

/** The messages sent to the signed-in person, newest first, with how each went. */
export function DeliveryLog({ log }: { log: ApiState<{ items: DeliveryLogEntry[] }> }) {
  return (
    <Section title="Messages sent to me">
      <ErrorNotice error={log.error} onRetry={log.reload} />
      {log.data && log.data.items.length === 0 && <Empty title="Nothing sent to you yet" />}
      {log.data && log.data.items.length > 0 && (
        <ul className="card rows" aria-label="Messages sent to me">
          {log.data.items.map((d) => (
            <li key={d.id} className="row row-static">
              <span className="row-main">
                <span className="row-title">
                  {d.title} <StatusBadge status={d.status} />
                </span>
                <span className="row-meta">
                  {d.methodLabel ?? d.kind} · {timeAgo(d.createdAt)}
                  {d.attempts > 1 && ` · ${d.attempts} attempts`}
                  {d.lastError && d.status !== 'sent' && d.status !== 'delivered' && (
                    <span className="text-danger"> · {d.lastError}</span>
                  )}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

const STATUS_TEXT: Record<DeliveryLogEntry['status'], [string, string]> = {
  queued: ['Waiting', 'badge-muted'],
  sending: ['Sending', 'badge-info'],
  sent: ['Sent', 'badge-ok'],
  delivered: ['Delivered', 'badge-ok'],
  failed: ['Failed', 'badge-danger'],
  cancelled: ['Not needed', 'badge-muted'],
  may_have_been_sent: ['May have been sent', 'badge-info'],
};

function StatusBadge({ status }: { status: DeliveryLogEntry['status'] }) {
  const [text, tone] = STATUS_TEXT[status];
  return <span className={`badge ${tone}`}>{text}</span>;
}
