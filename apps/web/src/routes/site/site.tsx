import { useState } from 'react';
import { useLocation } from 'wouter';
import { api } from '../../api/client';
import { query } from '../../api/client';
import type { AgentList, HeartbeatList, Site, SiteStatus } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ActionButton } from '../../components/action-button';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/dialog';
import { ClockIcon } from '../../components/icons';
import { ScreenHeader, Section } from '../../components/layout';
import { ErrorNotice, Loading } from '../../components/notice';
import { SiteFormDialog } from '../../features/register/site-form';
import { localTime } from '../../features/register/time';
import { useNow } from '../../features/register/use-now';
import { useMe } from '../../features/session/session';
import { clockTime, duration } from '../../features/monitoring/state';
import { StateTotals } from '../../features/monitoring/state-totals';
import { usePoll } from '../../features/monitoring/use-poll';
import { AgentsSection } from './agents';
import { MaintenanceSection } from './maintenance';
import type { SitePowerView } from '@afterhours/shared';
import { isOnBattery, PowerSection } from './power';
import { SystemsSection } from './systems';
import { SiteChecklists } from '../../features/checklists/site-checklists';

export function SiteScreen({ id }: { id: string }) {
  const { canEdit, canManage } = useMe();
  const [, navigate] = useLocation();
  const { data: site, error, loading, reload } = useApi<Site>(`/api/sites/${id}`);
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<'archive' | 'delete' | null>(null);
  const now = useNow();
  const status = useApi<SiteStatus>(`/api/status?siteId=${id}`);
  const agents = useApi<AgentList>(`/api/agents?siteId=${id}`);
  const heartbeats = useApi<HeartbeatList>(`/api/heartbeats${query({ siteId: id, limit: 1000 })}`);
  const power = useApi<SitePowerView>(`/api/sites/${id}/power`);
  usePoll(status.reload);
  const heartbeatItems = heartbeats.data?.items ?? [];
  const siteStatus = status.data?.clients.flatMap((c) => c.sites).find((s) => s.id === id);
  const agentList = agents.data?.items ?? [];
  const silent = agentList.filter((a) => a.status === 'unreachable');

  if (!site) {
    return (
      <>
        <ScreenHeader
          title={error?.status === 404 ? 'Site not found' : 'Site'}
          back={{ href: '/clients', label: 'Clients' }}
        />
        <ErrorNotice error={error} onRetry={error?.status === 404 ? undefined : reload} />
        {loading && <Loading />}
      </>
    );
  }
  const archived = site.archivedAt !== null;
  // During a power cut the power comes first: runtime left, the plan, the button.
  const powerCut = isOnBattery(power.data);
  const powerSection = (
    <PowerSection
      power={power}
      siteName={site.name}
      timeZone={site.timeZone}
      canEdit={canEdit && !archived}
      canManage={canManage && !archived}
    />
  );
  return (
    <>
      <ScreenHeader
        title={site.name}
        back={{ href: `/clients/${site.clientId}`, label: site.clientName }}
        subtitle={
          <>
            <span className="nowrap">
              <ClockIcon /> {localTime(site.timeZone, now)} there
            </span>{' '}
            <span className="muted">· {site.timeZone}</span>{' '}
            {archived && <span className="badge badge-muted">Archived</span>}
          </>
        }
        actions={
          canEdit && (
            <Button onClick={() => setEditing(true)} aria-label="Edit site">
              Edit
            </Button>
          )
        }
      />
      {archived && (
        <div className="notice notice-warn">
          <p>This site is archived.</p>
          {canEdit && (
            <ActionButton
              small
              variant="primary"
              action={() => api.patch(`/api/sites/${id}`, { archived: false })}
              onDone={reload}
            >
              Restore site
            </ActionButton>
          )}
        </div>
      )}
      {(site.address || site.notes) && (
        <dl className="facts card">
          {site.address && (
            <div>
              <dt>Address</dt>
              <dd className="pre">
                <a
                  href={`https://maps.google.com/?q=${encodeURIComponent(site.address)}`}
                  target="_blank"
                  rel="noreferrer"
                >
                  {site.address}
                </a>
              </dd>
            </div>
          )}
          {site.notes && (
            <div>
              <dt>Notes</dt>
              <dd className="pre">{site.notes}</dd>
            </div>
          )}
        </dl>
      )}

      {silent.map((a) => (
        <div key={a.id} className="notice notice-error problem-banner" role="status">
          <strong>
            Site agent {a.name} unreachable since {clockTime(a.statusSince, now, site.timeZone)}
          </strong>
          <p>
            Nothing heard for {duration(a.statusSince, now)}. Its {a.checkCount} check
            {a.checkCount === 1 ? ' is' : 's are'} unknown until it is back: the office may have lost power or its
            internet line.
          </p>
        </div>
      ))}
      {siteStatus && (
        <StateTotals
          counts={siteStatus.counts}
          heartbeats={{
            failed: heartbeatItems.filter((h) => h.status === 'down').length,
            late: heartbeatItems.filter((h) => h.status === 'late').length,
          }}
          label="Checks and jobs by state"
        />
      )}

      {powerCut && powerSection}

      <SystemsSection
        siteId={id}
        canEdit={canEdit && !archived}
        status={siteStatus}
        heartbeats={heartbeatItems}
        agents={agentList}
        now={now}
        onChecksChanged={status.reload}
      />

      <SiteChecklists siteId={id} timeZone={site.timeZone} canEdit={canEdit && !archived} />

      {!powerCut && powerSection}

      <MaintenanceSection
        siteId={id}
        timeZone={site.timeZone}
        systems={siteStatus?.systems ?? []}
        canEdit={canEdit && !archived}
        now={now}
      />

      {(agentList.length > 0 || canManage) && (
        <AgentsSection
          siteId={id}
          siteName={site.name}
          agents={agentList}
          canManage={canManage && !archived}
          now={now}
          onChanged={agents.reload}
        />
      )}

      {canEdit && (
        <Section title="Manage site">
          <div className="card danger-zone">
            {archived ? (
              <ActionButton action={() => api.patch(`/api/sites/${id}`, { archived: false })} onDone={reload}>
                Restore
              </ActionButton>
            ) : (
              <Button onClick={() => setConfirm('archive')}>Archive site</Button>
            )}
            <Button variant="danger" onClick={() => setConfirm('delete')}>
              Delete site
            </Button>
          </div>
        </Section>
      )}

      {editing && (
        <SiteFormDialog clientId={site.clientId} site={site} onClose={() => setEditing(false)} onSaved={reload} />
      )}
      {confirm === 'archive' && (
        <ConfirmDialog
          title={`Archive ${site.name}?`}
          message={<p>It is hidden from Now and the client’s site list. You can restore it later.</p>}
          confirmLabel="Archive site"
          danger={false}
          onConfirm={() => api.patch(`/api/sites/${id}`, { archived: true })}
          onClose={() => setConfirm(null)}
          onDone={reload}
        />
      )}
      {confirm === 'delete' && (
        <ConfirmDialog
          title={`Delete ${site.name}?`}
          message={
            <p>
              This deletes the site and its {site.systemCount} system{site.systemCount === 1 ? '' : 's'}. It cannot be
              undone.
            </p>
          }
          confirmLabel="Delete site"
          onConfirm={() => api.del(`/api/sites/${id}`)}
          onClose={() => setConfirm(null)}
          onDone={() => navigate(`/clients/${site.clientId}`)}
        />
      )}
    </>
  );
}
