import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api, query } from '../../api/client';
import type { Client, SiteList } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ActionButton } from '../../components/action-button';
import { ArchivedFilterControl, type ArchivedFilter } from '../../components/archived-filter';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/dialog';
import { ChevronIcon, ClockIcon, PlusIcon } from '../../components/icons';
import { ScreenHeader, Section } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { ClientFormDialog } from '../../features/register/client-form';
import { describeWindows, formatMinutes } from '../../features/register/contract';
import { HoursBadge } from '../../features/register/hours-badge';
import { describePaging } from '../../features/register/paging-fields';
import { SiteFormDialog } from '../../features/register/site-form';
import { localTime } from '../../features/register/time';
import { useNow } from '../../features/register/use-now';
import { StateDot } from '../../features/monitoring/state-badge';
import { StateLine } from '../../features/monitoring/state-line';
import { problemsFirst, useStates } from '../../features/monitoring/use-states';
import { useMe } from '../../features/session/session';

import { BackupsSection } from './backups-section';
import { ContactsSection } from './contacts';
import { UpdatesSection } from './updates-section';

export function ClientScreen({ id }: { id: string }) {
  const { canEdit } = useMe();
  const [, navigate] = useLocation();
  const { data: client, error, loading, reload } = useApi<Client>(`/api/clients/${id}`);
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<'archive' | 'delete' | null>(null);
  const now = useNow();

  if (!client) {
    return (
      <>
        <ScreenHeader
          title={error?.status === 404 ? 'Client not found' : 'Client'}
          back={{ href: '/clients', label: 'Clients' }}
        />
        <ErrorNotice error={error} onRetry={error?.status === 404 ? undefined : reload} />
        {loading && <Loading />}
      </>
    );
  }
  const hours = client.contract.supportHours;
  const archived = client.archivedAt !== null;

  return (
    <>
      <ScreenHeader
        title={client.name}
        back={{ href: '/clients', label: 'Clients' }}
        subtitle={archived && <span className="badge badge-muted">Archived</span>}
        actions={
          canEdit && (
            <Button onClick={() => setEditing(true)} aria-label="Edit client">
              Edit
            </Button>
          )
        }
      />
      {archived && (
        <div className="notice notice-warn">
          <p>This client is archived: it is hidden from Now and from the client list.</p>
          {canEdit && (
            <ActionButton
              small
              variant="primary"
              action={() => api.patch(`/api/clients/${id}`, { archived: false })}
              onDone={reload}
            >
              Restore client
            </ActionButton>
          )}
        </div>
      )}

      <div className="columns">
        <div>
          <Section title="Contract">
            <dl className="facts card">
              <div>
                <dt>Support hours</dt>
                <dd>
                  {hours.kind === 'always' ? '24/7' : describeWindows(hours.windows)}{' '}
                  <HoursBadge hours={hours} now={now} />
                </dd>
              </div>
              {hours.kind === 'weekly' && (
                <div>
                  <dt>Time zone</dt>
                  <dd>
                    {hours.timeZone} <span className="muted">({localTime(hours.timeZone, now)} there)</span>
                  </dd>
                </div>
              )}
              <div>
                <dt>Response target</dt>
                <dd>{formatMinutes(client.contract.responseTargetMinutes)}</dd>
              </div>
              <div>
                <dt>What pages</dt>
                <dd>{describePaging(client.contract.paging, hours.kind === 'always')}</dd>
              </div>
              {canEdit && <PolicyFact policyId={client.contract.escalationPolicyId ?? null} />}
              {client.notes && (
                <div>
                  <dt>Notes</dt>
                  <dd className="pre">{client.notes}</dd>
                </div>
              )}
            </dl>
          </Section>
          <SitesSection
            clientId={id}
            canEdit={canEdit && !archived}
            now={now}
            defaultTimeZone={hours.kind === 'weekly' ? hours.timeZone : undefined}
          />
        </div>
        <div>
          <ContactsSection clientId={id} canEdit={canEdit} />
          <UpdatesSection clientId={id} canSend={canEdit && !archived} />
          <BackupsSection clientId={id} clientName={client.name} canEdit={canEdit && !archived} />
          {canEdit && (
            <Section title="Manage client">
              <div className="card danger-zone">
                {archived ? (
                  <ActionButton action={() => api.patch(`/api/clients/${id}`, { archived: false })} onDone={reload}>
                    Restore
                  </ActionButton>
                ) : (
                  <Button onClick={() => setConfirm('archive')}>Archive client</Button>
                )}
                <Button variant="danger" onClick={() => setConfirm('delete')}>
                  Delete client
                </Button>
                <p className="muted small">
                  Archiving hides the client and keeps its history. Deleting removes it for good.
                </p>
              </div>
            </Section>
          )}
        </div>
      </div>

      {editing && <ClientFormDialog client={client} onClose={() => setEditing(false)} onSaved={reload} />}
      {confirm === 'archive' && (
        <ConfirmDialog
          title={`Archive ${client.name}?`}
          message={
            <p>It disappears from Now and the client list. You can show archived clients and restore it at any time.</p>
          }
          confirmLabel="Archive client"
          danger={false}
          onConfirm={() => api.patch(`/api/clients/${id}`, { archived: true })}
          onClose={() => setConfirm(null)}
          onDone={reload}
        />
      )}
      {confirm === 'delete' && (
        <ConfirmDialog
          title={`Delete ${client.name}?`}
          message={
            <p>
              This deletes the client with its {client.siteCount} site{client.siteCount === 1 ? '' : 's'},{' '}
              {client.systemCount} system
              {client.systemCount === 1 ? '' : 's'} and contacts. It cannot be undone; archive it instead to keep its
              history.
            </p>
          }
          confirmLabel="Delete client"
          onConfirm={() => api.del(`/api/clients/${id}`)}
          onClose={() => setConfirm(null)}
          onDone={() => navigate('/clients')}
        />
      )}
    </>
  );
}

function SitesSection({
  clientId,
  canEdit,
  now,
  defaultTimeZone,
}: {
  clientId: string;
  canEdit: boolean;
  now: Date;
  defaultTimeZone: string | undefined;
}) {
  const [archived, setArchived] = useState<ArchivedFilter>('false');
  const [adding, setAdding] = useState(false);
  const [, navigate] = useLocation();
  const { data, error, loading, reload } = useApi<SiteList>(`/api/sites${query({ clientId, archived, limit: 500 })}`);
  const states = useStates();
  return (
    <Section
      title="Sites"
      actions={
        canEdit && (
          <Button small onClick={() => setAdding(true)}>
            <PlusIcon /> Add site
          </Button>
        )
      }
    >
      <div className="toolbar toolbar-compact">
        <ArchivedFilterControl label="Which sites" value={archived} onChange={setArchived} />
      </div>
      <ErrorNotice error={error} onRetry={reload} />
      {!data && loading && <Loading />}
      {data &&
        (data.items.length === 0 ? (
          <Empty title={archived === 'true' ? 'No archived sites' : 'No sites yet'}>
            {canEdit && archived !== 'true' && <p>Add the client’s offices, each with its time zone.</p>}
          </Empty>
        ) : (
          <ul className="card rows" aria-label="Sites">
            {problemsFirst(data.items, (s) => states.site(s.id)?.severity).map((s) => {
              const state = states.site(s.id);
              return (
                <li key={s.id} className={`site-status is-${state?.severity ?? 'none'}`}>
                  <Link href={`/sites/${s.id}`} className="row">
                    <StateDot state={state?.severity ?? 'none'} />
                    <span className="row-main">
                      <span className="row-title">
                        {s.name} {s.archivedAt && <span className="badge badge-muted">Archived</span>}
                      </span>
                      {state && <StateLine counts={state.site.counts} unreachable={state.unreachable} />}
                      <span className="row-meta">
                        <ClockIcon /> {localTime(s.timeZone, now)} · {s.timeZone} · {s.systemCount} system
                        {s.systemCount === 1 ? '' : 's'}
                      </span>
                    </span>
                    <ChevronIcon />
                  </Link>
                </li>
              );
            })}
          </ul>
        ))}
      {adding && (
        <SiteFormDialog
          clientId={clientId}
          defaultTimeZone={defaultTimeZone ?? data?.items[0]?.timeZone}
          onClose={() => setAdding(false)}
          onSaved={(s) => navigate(`/sites/${s.id}`)}
        />
      )}
    </Section>
  );
}

/** Which escalation policy pages for the client (staff only: client accounts do not see the firm's policies). */
function PolicyFact({ policyId }: { policyId: string | null }) {
  const policies = useApi<{ items: Array<{ id: string; name: string; isDefault: boolean }> }>(
    '/api/escalation-policies',
    { live: false },
  );
  const items = policies.data?.items ?? [];
  const named = items.find((p) => p.id === policyId);
  const fallback = items.find((p) => p.isDefault);
  const text = named
    ? named.name
    : fallback
      ? `The default (${fallback.name})`
      : items.length || policies.data
        ? 'No policy: owners and admins are paged'
        : '…';
  return (
    <div>
      <dt>Escalation</dt>
      <dd>
        <Link href="/oncall/policies">{text}</Link>
      </dd>
    </div>
  );
}
