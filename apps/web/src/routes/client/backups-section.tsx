import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../../api/client';
import type { PingKey, System } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ActionButton } from '../../components/action-button';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ConfirmDialog } from '../../components/dialog';
import { ChevronIcon } from '../../components/icons';
import { Section } from '../../components/layout';
import { ErrorNotice } from '../../components/notice';
import { AutoCreateDialog } from '../../features/heartbeats/auto-create-form';

/** On a client: a link to its backups, and its ping key for slug URLs (make, rotate, where ?create=1 adds heartbeats). */
export function BackupsSection({
  clientId,
  clientName,
  canEdit,
}: {
  clientId: string;
  clientName: string;
  canEdit: boolean;
}) {
  const key = useApi<PingKey>(`/api/clients/${clientId}/ping-key`, { live: false });
  const autoCreateId = key.data?.key ? key.data.autoCreateSystemId : null;
  const autoCreate = useApi<System>(autoCreateId ? `/api/systems/${autoCreateId}` : null, { live: false });
  const [rotating, setRotating] = useState(false);
  const [choosing, setChoosing] = useState(false);
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
              {key.data && !key.data.key && (
                <p className="small muted">
                  None yet. With one, each heartbeat with a slug also answers at /ping/&lt;ping key&gt;/&lt;slug&gt;.
                </p>
              )}
              {prefix && (
                <div className="secret">
                  <code aria-label="Slug URL prefix">{prefix}&lt;slug&gt;</code>
                  <CopyButton text={key.data!.key!} label="Copy ping key" />
                </div>
              )}
            </dd>
          </div>
          {key.data?.key && (
            <div>
              <dt>Auto-create</dt>
              <dd>
                {!autoCreateId ? (
                  <span className="muted">Off: ?create=1 on an unknown slug answers 404</span>
                ) : autoCreate.data?.id === autoCreateId ? (
                  <span>
                    ?create=1 adds new slugs to <strong>{autoCreate.data.name}</strong>{' '}
                    <span className="muted">({autoCreate.data.siteName})</span>
                  </span>
                ) : (
                  <ErrorNotice error={autoCreate.error} onRetry={autoCreate.reload} />
                )}
                {canEdit && (
                  <Button small onClick={() => setChoosing(true)}>
                    Set auto-create system
                  </Button>
                )}
              </dd>
            </div>
          )}
        </dl>
        {canEdit && key.data && (
          <div className="card-actions">
            {key.data.key ? (
              <Button small variant="ghost" onClick={() => setRotating(true)}>
                Rotate ping key
              </Button>
            ) : (
              <ActionButton
                small
                variant="primary"
                action={() => api.post(`/api/clients/${clientId}/ping-key`, { rotate: false })}
                onDone={key.reload}
              >
                Create ping key
              </ActionButton>
            )}
          </div>
        )}
      </div>
      {choosing && key.data && (
        <AutoCreateDialog
          clientId={clientId}
          pingKey={key.data}
          onClose={() => setChoosing(false)}
          onSaved={key.reload}
        />
      )}
      {rotating && (
        <ConfirmDialog
          title="Rotate the ping key?"
          message={
            <p>
              A new key is made and the old one stops working at once: scripts that use slug URLs must be given the new
              key. UUID URLs keep working.
            </p>
          }
          confirmLabel="Rotate ping key"
          onConfirm={() => api.post(`/api/clients/${clientId}/ping-key`, { rotate: true })}
          onClose={() => setRotating(false)}
          onDone={key.reload}
        />
      )}
    </Section>
  );
}
