import { useEffect } from 'react';
import type { ClientUpdate } from '../../api/types';
import { formatDateTime } from '../../lib/date-format';
import { CHANNEL_NAMES, DELIVERY, isPending } from './labels';

/** Updates sent to a client, each with who it went to and how each message stands. */
export function UpdateList({ updates, label }: { updates: ClientUpdate[]; label: string }) {
  return (
    <ul className="update-list" aria-label={label}>
      {updates.map((u) => (
        <li key={u.id} className="card update">
          <UpdateCard update={u} />
        </li>
      ))}
    </ul>
  );
}

export function UpdateCard({ update }: { update: ClientUpdate }) {
  return (
    <>
      <p className="update-subject">{update.subject}</p>
      <p className="muted small">
        {formatDateTime(update.sentAt)}
        {update.sentBy ? ` · ${update.sentBy.name}` : ''}
      </p>
      <details className="update-body">
        <summary>Message</summary>
        <p className="pre">{update.body}</p>
      </details>
      <ul className="update-recipients" aria-label="Recipients">
        {update.recipients.map((r) => (
          <li key={`${r.contactId}-${r.to}`}>
            <span>
              {r.name}
              {r.channel && <span className="muted"> · {CHANNEL_NAMES[r.channel]}</span>}
            </span>
            {r.status ? (
              <span className={`badge ${DELIVERY[r.status].badge}`} title={r.error ?? undefined}>
                {DELIVERY[r.status].label}
              </span>
            ) : (
              <span className="badge badge-muted">not sent</span>
            )}
            {(r.error || r.skipped) && <span className="update-why small">{r.error ?? r.skipped}</span>}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Reloads every few seconds while any message is still waiting to go (the outbox announces no change). */
export function usePendingRefresh(updates: ClientUpdate[] | undefined, reload: () => void): void {
  const pending = updates?.some((u) => u.recipients.some((r) => isPending(r.status))) ?? false;
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(reload, 4000);
    return () => clearInterval(timer);
  }, [pending, reload]);
}
