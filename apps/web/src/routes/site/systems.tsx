import { useState } from 'react';
import { useLocation } from 'wouter';
import { api, query } from '../../api/client';
import type { Agent, Heartbeat, System, SystemList, StatusSite } from '../../api/types';
import { useApi } from '../../api/use-api';
import { InMaintenance, useActiveMaintenance, windowFor } from '../../features/maintenance/in-maintenance';
import { ActionButton } from '../../components/action-button';
import { ArchivedFilterControl, type ArchivedFilter } from '../../components/archived-filter';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/dialog';
import { PlusIcon } from '../../components/icons';
import { Section } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { byDependencyOrder } from '../../features/register/dependency-order';
import { CRITICALITY_LABELS, SYSTEM_KIND_LABELS } from '../../features/register/labels';
import { SystemFormDialog } from '../../features/register/system-form';
import { CheckFormDialog } from '../../features/monitoring/lazy-check-form';
import { CheckRow } from '../../features/monitoring/check-row';
import { StateDot } from '../../features/monitoring/state-badge';
import { STATE_RANK, countsLine, type Worst } from '../../features/monitoring/state';
import { problemsFirst } from '../../features/monitoring/use-states';
import { HEARTBEAT_TONE } from '../../features/heartbeats/labels';
import { HeartbeatFormDialog } from '../../features/heartbeats/lazy-heartbeat-form';
import { SystemHeartbeats } from '../../features/heartbeats/system-heartbeats';

export function SystemsSection({
  siteId,
  canEdit,
  status,
  heartbeats,
  agents,
  now,
  onChecksChanged,
}: {
  siteId: string;
  canEdit: boolean;
  status: StatusSite | undefined;
  heartbeats: readonly Heartbeat[];
  agents: readonly Agent[];
  now: Date;
  onChecksChanged: () => void;
}) {
  const [addingCheck, setAddingCheck] = useState<System | null>(null);
  const [addingHeartbeat, setAddingHeartbeat] = useState<System | null>(null);
  const [, navigate] = useLocation();
  const statusOf = new Map(status?.systems.map((s) => [s.id, s]) ?? []);
  const [archived, setArchived] = useState<ArchivedFilter>('false');
  const { data, error, loading, reload } = useApi<SystemList>(`/api/systems${query({ siteId, archived, limit: 500 })}`);
  // The dependency picker offers every system of the site, whatever the filter shows.
  const all = useApi<SystemList>(`/api/systems${query({ siteId, archived: 'all', limit: 500 })}`);
  const maintenance = useActiveMaintenance(siteId);
  const maintenanceOf = (systemId: string) => windowFor(maintenance, siteId, systemId);
  const [editing, setEditing] = useState<System | 'new' | null>(null);
  const [confirm, setConfirm] = useState<{ system: System; action: 'archive' | 'delete' } | null>(null);
  /** A system's state: the worst of its checks and heartbeats. */
  const worstOfSystem = (s: System): Worst => {
    const states = [
      ...(statusOf.get(s.id)?.checks.map((c) => c.state) ?? []),
      ...heartbeats.filter((h) => h.systemId === s.id).map((h) => HEARTBEAT_TONE[h.status]),
    ];
    return states.sort((a, b) => STATE_RANK[a] - STATE_RANK[b])[0] ?? 'none';
  };
  const refresh = () => {
    reload();
    all.reload();
  };

  return (
    <Section
      title="Systems"
      actions={
        canEdit && (
          <Button small variant="primary" onClick={() => setEditing('new')}>
            <PlusIcon /> Add system
          </Button>
        )
      }
    >
      <div className="toolbar toolbar-compact">
        <ArchivedFilterControl label="Which systems" value={archived} onChange={setArchived} />
      </div>
      <ErrorNotice error={error} onRetry={reload} />
      {!data && loading && <Loading />}
      {data &&
        (data.items.length === 0 ? (
          <Empty title={archived === 'true' ? 'No archived systems' : 'No systems yet'}>
            {canEdit && archived !== 'true' && (
              <p>Add what matters here: the internet line, firewall, UPS, servers, email, phones, backups.</p>
            )}
          </Empty>
        ) : (
          <ul className="system-list" aria-label="Systems">
            {problemsFirst(byDependencyOrder(data.items), ({ system }) => worstOfSystem(system)).map(
              ({ system: s }) => {
                const monitored = statusOf.get(s.id);
                return (
                  <li key={s.id} className={`card system crit-${s.criticality} is-${worstOfSystem(s)}`}>
                    <div className="system-head">
                      <StateDot state={worstOfSystem(s)} />
                      <h3>{s.name}</h3>
                      <span className={`badge crit crit-${s.criticality}`}>{CRITICALITY_LABELS[s.criticality]}</span>
                      {s.archivedAt && <span className="badge badge-muted">Archived</span>}
                    </div>
                    <p className="system-meta">
                      <span>{SYSTEM_KIND_LABELS[s.kind]}</span>
                      {s.host && <code className="host">{s.host}</code>}
                    </p>
                    {s.dependsOn.length > 0 && (
                      <p className="system-deps">
                        <span className="muted">Depends on</span> {s.dependsOn.map((d) => d.name).join(', ')}
                      </p>
                    )}
                    {s.dependents.length > 0 && (
                      <p className="system-deps">
                        <span className="muted">Needed by</span> {s.dependents.map((d) => d.name).join(', ')}
                      </p>
                    )}
                    {maintenanceOf(s.id) && <InMaintenance window={maintenanceOf(s.id)!} now={now} />}
                    {s.notes && <p className="pre small">{s.notes}</p>}
                    {monitored && monitored.checks.length > 0 && (
                      <>
                        <p className="visually-hidden">Checks: {countsLine(monitored.counts)}</p>
                        <ul className="rows checkrows" aria-label={`Checks of ${s.name}`}>
                          {[...monitored.checks]
                            .sort((a, b) => STATE_RANK[a.state] - STATE_RANK[b.state])
                            .map((c) => (
                              <CheckRow key={c.id} check={c} now={now} />
                            ))}
                        </ul>
                      </>
                    )}
                    {canEdit && !s.archivedAt && (
                      <Button
                        small
                        variant="primary"
                        className="add-check"
                        aria-label={`Add check to ${s.name}`}
                        onClick={() => setAddingCheck(s)}
                      >
                        <PlusIcon /> Add check
                      </Button>
                    )}
                    <SystemHeartbeats
                      systemName={s.name}
                      heartbeats={heartbeats.filter((h) => h.systemId === s.id)}
                      now={now}
                      onAdd={canEdit && !s.archivedAt ? () => setAddingHeartbeat(s) : null}
                    />
                    {canEdit && (
                      <div className="card-actions">
                        <Button small variant="ghost" aria-label={`Edit ${s.name}`} onClick={() => setEditing(s)}>
                          Edit
                        </Button>
                        {s.archivedAt ? (
                          <ActionButton
                            small
                            variant="ghost"
                            aria-label={`Restore ${s.name}`}
                            action={() => api.patch(`/api/systems/${s.id}`, { archived: false })}
                            onDone={refresh}
                          >
                            Restore
                          </ActionButton>
                        ) : (
                          <Button
                            small
                            variant="ghost"
                            aria-label={`Archive ${s.name}`}
                            onClick={() => setConfirm({ system: s, action: 'archive' })}
                          >
                            Archive
                          </Button>
                        )}
                        <Button
                          small
                          variant="ghost"
                          className="text-danger"
                          aria-label={`Delete ${s.name}`}
                          onClick={() => setConfirm({ system: s, action: 'delete' })}
                        >
                          Delete
                        </Button>
                      </div>
                    )}
                  </li>
                );
              },
            )}
          </ul>
        ))}
      {editing && (
        <SystemFormDialog
          siteId={siteId}
          system={editing === 'new' ? undefined : editing}
          siteSystems={all.data?.items ?? data?.items ?? []}
          onClose={() => setEditing(null)}
          onSaved={refresh}
        />
      )}
      {addingCheck && (
        <CheckFormDialog
          system={addingCheck}
          agents={agents}
          onClose={() => setAddingCheck(null)}
          onSaved={onChecksChanged}
        />
      )}
      {addingHeartbeat && (
        <HeartbeatFormDialog
          system={addingHeartbeat}
          onClose={() => setAddingHeartbeat(null)}
          onSaved={(h) => navigate(`/heartbeats/${h.id}`)}
        />
      )}
      {confirm?.action === 'archive' && (
        <ConfirmDialog
          title={`Archive ${confirm.system.name}?`}
          message={<p>It is hidden from the site’s list; its dependencies are kept. You can restore it later.</p>}
          confirmLabel="Archive system"
          danger={false}
          onConfirm={() => api.patch(`/api/systems/${confirm.system.id}`, { archived: true })}
          onClose={() => setConfirm(null)}
          onDone={refresh}
        />
      )}
      {confirm?.action === 'delete' && (
        <ConfirmDialog
          title={`Delete ${confirm.system.name}?`}
          message={
            <p>
              This cannot be undone.
              {confirm.system.dependents.length > 0 &&
                ` ${confirm.system.dependents.map((d) => d.name).join(', ')} will no longer depend on it.`}
            </p>
          }
          confirmLabel="Delete system"
          onConfirm={() => api.del(`/api/systems/${confirm.system.id}`)}
          onClose={() => setConfirm(null)}
          onDone={refresh}
        />
      )}
    </Section>
  );
}
