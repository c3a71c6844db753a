import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../../api/client';
import type { PingKey } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ActionButton } from '../../components/action-button';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ConfirmDialog } from '../../components/dialog';
import { ChevronIcon } from '../../components/icons';
import { Section } from '../../components/layout';
import { ErrorNotice } from '../../components/notice';

/** On a client: a link to its backups, and its ping key for slug URLs (make, rotate). */
export function BackupsSection({ clientId, clientName, canEdit }: { clientId: string; clientName: string; canEdit: boolean }) {
  const key = useApi<PingKey>(`/api/clients/${clientId}/ping-key`, { live: false });
  const [rotating, setRotating] = useState(false);
  const prefix = key.data?.slugPathPrefix ? `${window.location.origin}${key.data.slugPathPrefix}` : null;
  return (
    <Section title="Backups">
      <ul className="card rows" aria-label="Backups">
        <li>
          <Link href={`/backups/clients/${clientId}`} className="row">
            <span className="row-main">
              <span className="row-title">Backups of {clientName}</span>
              <span className="row-meta">Each job’s last result, last success, run time and 30 days</span>
            </span>
            <ChevronIcon />
          </Link>
        </li>
      </ul>
      <div role="group" aria-label="Ping key">
        <dl className="facts card">
          <div>
            <dt>Ping key</dt>
            <dd>
              <ErrorNotice error={key.error} onRetry={key.reload} />
              {key.data && !key.data.key && <p className="small muted">None yet. With one, each heartbeat with a slug also answers at /ping/&lt;ping key&gt;/&lt;slug&gt;.</p>}
              {prefix && (
                <div className="secret">
                  <code aria-label="Slug URL prefix">
                    {prefix}&lt;slug&gt;
                  </code>
                  <CopyButton text={key.data!.key!} label="Copy ping key" />
                </div>
              )}
            </dd>
          </div>
        </dl>
        {canEdit && key.data && (
          <div className="card-actions">
            {key.data.key ? (
              <Button small variant="ghost" onClick={() => setRotating(true)}>
                Rotate ping key
              </Button>
            ) : (
              <ActionButton small variant="primary" action={() => api.post(`/api/clients/${clientId}/ping-key`, { rotate: false })} onDone={key.reload}>
                Create ping key
              </ActionButton>
            )}
          </div>
        )}
      </div>
      {rotating && (
        <ConfirmDialog
          title="Rotate the ping key?"
          message={<p>A new key is made and the old one stops working at once: scripts that use slug URLs must be given the new key. UUID URLs keep working.</p>}
          confirmLabel="Rotate ping key"
          onConfirm={() => api.post(`/api/clients/${clientId}/ping-key`, { rotate: true })}
          onClose={() => setRotating(false)}
          onDone={key.reload}
        />
      )}
    </Section>
  );
}
