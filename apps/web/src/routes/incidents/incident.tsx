import { type ReactNode, useState } from 'react';
import { Link } from 'wouter';
import type { IncidentDetail, IncidentSeverity, IncidentStatus, TimelineEntry } from '@afterhours/shared';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { SelectField } from '../../components/field';
import { ScreenHeader, Section } from '../../components/layout';
import { ErrorNotice, Loading } from '../../components/notice';
import { IncidentChecklists } from '../../features/checklists/incident-checklists';
import { AddTaskDialog } from '../../features/incidents/add-task';
import { AffectedDialog } from '../../features/incidents/affected-dialog';
import { IncidentClientActions } from '../../features/incidents/client-slot';
import { clockClass, clockLine, SEVERITY_LABEL, STATUS_LABEL } from '../../features/incidents/labels';
import { TaskCard } from '../../features/incidents/task-card';
import { NoteBar, Timeline } from '../../features/incidents/timeline';
import { DeliveryLine } from '../../features/updates/delivery-line';
import { useClientUpdates } from '../../features/updates/use-updates';
import type { Worst } from '../../features/monitoring/state';
import { StateDot } from '../../features/monitoring/state-badge';
import { useNow } from '../../features/register/use-now';
import { clockTime } from '../../lib/date-format';
import '../../features/incidents/incidents.css';

const NEXT: Record<IncidentStatus, IncidentStatus[]> = {
  investigating: ['identified', 'monitoring', 'resolved'],
  identified: ['monitoring', 'resolved', 'investigating'],
  monitoring: ['resolved', 'identified', 'investigating'],
  resolved: ['investigating'],
};

/** One incident: who has it and the clock, what is affected (live), the weekend's tasks, and the timeline. */
export function IncidentScreen({ id }: { id: string }) {
  const detail = useApi<IncidentDetail>(`/api/incidents/${id}`);
  const now = useNow();
  const data = detail.data;
  return (
    <>
      <ScreenHeader
        title={data ? `#${data.number} ${data.title}` : 'Incident'}
        subtitle={data ? [data.clientName, ...data.sites.map((s) => s.name)].join(' · ') : undefined}
        back={{ href: '/incidents', label: 'Incidents' }}
      />
      <ErrorNotice error={detail.error} onRetry={detail.reload} />
      {!data && detail.loading && <Loading />}
      {data && <IncidentBody incident={data} now={now} reload={detail.reload} />}
    </>
  );
}

function IncidentBody({ incident, now, reload }: { incident: IncidentDetail; now: Date; reload: () => void }) {
  const [adding, setAdding] = useState(false);
  const [editingAffected, setEditingAffected] = useState(false);
  const open = incident.status !== 'resolved';
  const ack = useSubmit(() => api.post(`/api/incidents/${incident.id}/acknowledge`), reload);
  const [statusError, setStatusError] = useState<string | null>(null);
  const moveTo = (next: IncidentStatus) => {
    setStatusError(null);
    api
      .post(`/api/incidents/${incident.id}/status`, { status: next })
      .then(reload)
      .catch((e: unknown) => setStatusError(e instanceof Error ? e.message : String(e)));
  };
  const clock = incident.acknowledgedAt ? incident.response.resolve : incident.response.acknowledge;
  const updates = useClientUpdates(`incidentId=${incident.id}`);
  return (
    <>
      <div className={`card incident-head is-${incident.status} sev-${incident.severity}`}>
        <p className="incident-state">
          {STATUS_LABEL[incident.status]} · {SEVERITY_LABEL[incident.severity]}
          <span className="muted">
            {' '}
            since {clockTime(incident.statusAt, now)}
            {incident.statusBy ? ` by ${incident.statusBy.name}` : ''}
          </span>
        </p>
        <p className="incident-who">
          {incident.acknowledgedBy
            ? `${incident.owner?.name ?? incident.acknowledgedBy.name} has it`
            : open
              ? 'Paging: nobody has acknowledged yet'
              : 'Resolved'}
        </p>
        {open && (
          <p className={clockClass(clock)}>{clockLine(incident.acknowledgedAt ? 'resolve' : 'acknowledge', clock)}</p>
        )}
        {!open && (
          <p className="muted small">
            {clockLine('acknowledge', incident.response.acknowledge)}. {clockLine('resolve', incident.response.resolve)}
            .
          </p>
        )}
        <p className="muted small">Support hours: {incident.response.hours}</p>
        {incident.canEdit && open && !incident.acknowledgedAt && (
          <Button variant="primary" className="btn-block" onClick={() => ack.submit()} busy={ack.busy}>
            Acknowledge
          </Button>
        )}
        <ErrorNotice error={ack.error} />
      </div>

      {incident.canEdit && (
        <Section title="Status">
          <div className="status-buttons">
            {NEXT[incident.status].map((s) => (
              <Button key={s} variant={s === 'resolved' ? 'primary' : 'secondary'} onClick={() => moveTo(s)}>
                {s === 'investigating' && !open ? 'Reopen' : s === 'resolved' ? 'Resolve' : STATUS_LABEL[s]}
              </Button>
            ))}
          </div>
          {statusError && (
            <p className="field-error" role="alert">
              {statusError}
            </p>
          )}
          <OwnerAndSeverity incident={incident} onChange={reload} />
        </Section>
      )}

      <IncidentClientActions incident={incident} updates={updates} onChange={reload} />

      {(incident.systems.length > 0 || (incident.canEdit && open)) && (
        <Section
          title="Affected systems"
          actions={
            incident.canEdit &&
            open && (
              <Button small onClick={() => setEditingAffected(true)}>
                Change
              </Button>
            )
          }
        >
          {incident.systems.length === 0 ? (
            <p className="muted">None named yet.</p>
          ) : (
            <ul className="card rows" aria-label="Affected systems">
              {incident.systems.map((s) => (
                <li key={s.id} className="row">
                  <span className="row-main">
                    <span className="row-title">
                      <StateDot state={s.state as Worst} /> {s.name}
                    </span>
                    <span className="row-meta">
                      {s.kind} · {s.state === 'none' ? 'no checks' : s.state}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      )}
      {editingAffected && (
        <AffectedDialog incident={incident} onClose={() => setEditingAffected(false)} onSaved={reload} />
      )}

      {incident.canEdit && open && <IncidentChecklists incidentId={incident.id} sites={incident.sites} />}

      <Section
        title={`Tasks (${incident.tasks.filter((t) => t.status !== 'done').length} open)`}
        id="tasks"
        actions={
          incident.canEdit &&
          open && (
            <Button small variant="primary" onClick={() => setAdding(true)}>
              Add task
            </Button>
          )
        }
      >
        {incident.tasks.length === 0 ? (
          <p className="muted">No tasks yet. Plan the weekend: who does what, and when.</p>
        ) : (
          <ul className="task-list" aria-label="Tasks">
            {incident.tasks.map((t) => (
              <TaskCard key={t.id} task={t} canEdit={incident.canEdit && open} onChange={reload} />
            ))}
          </ul>
        )}
      </Section>
      {adding && <AddTaskDialog incidentId={incident.id} onClose={() => setAdding(false)} onAdded={reload} />}

      <Section title="Timeline" id="timeline">
        {incident.canEdit && <NoteBar incidentId={incident.id} onAdded={reload} />}
        <TimelineWithEarlier
          key={incident.timeline[0]?.id ?? 'empty'}
          incident={incident}
          now={now}
          below={(e) =>
            e.kind === 'update' ? (
              <DeliveryLine update={updates.data?.items.find((u) => u.id === e.refId)} />
            ) : e.kind === 'checklist' && e.refId ? (
              <p className="small">
                <Link href={`/checklist-runs/${e.refId}`}>Open the checklist</Link>
              </p>
            ) : null
          }
        />
      </Section>
    </>
  );
}

function OwnerAndSeverity({ incident, onChange }: { incident: IncidentDetail; onChange: () => void }) {
  const people = useApi<{ items: { id: string; name: string }[] }>('/api/oncall/people', { live: false });
  const [error, setError] = useState<string | null>(null);
  const change = (body: object) => {
    setError(null);
    api
      .patch(`/api/incidents/${incident.id}`, body)
      .then(onChange)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <div className="incident-fields">
      <SelectField
        label="Owner"
        value={incident.owner?.id ?? ''}
        onChange={(e) => change({ ownerUserId: e.target.value || null })}
        options={[
          { value: '', label: 'Nobody' },
          ...(people.data?.items ?? []).map((p) => ({ value: p.id, label: p.name })),
        ]}
      />
      <SelectField
        label="Severity"
        value={incident.severity}
        onChange={(e) => change({ severity: e.target.value as IncidentSeverity })}
        options={(['critical', 'major', 'minor'] as const).map((s) => ({ value: s, label: SEVERITY_LABEL[s] }))}
      />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The timeline, newest first: the lines the incident came with, and older ones paged in on request. Keyed by
 * the oldest line it came with, so a live update that moves that window starts the older pages afresh.
 */
function TimelineWithEarlier({
  incident,
  now,
  below,
}: {
  incident: IncidentDetail;
  now: Date;
  below: (entry: TimelineEntry) => ReactNode;
}) {
  const [older, setOlder] = useState<TimelineEntry[]>([]);
  const [more, setMore] = useState(incident.timelineTotal > incident.timeline.length);
  const oldest = older[0] ?? incident.timeline[0];
  const load = useSubmit(
    () =>
      api.get<{ items: TimelineEntry[]; more: boolean }>(
        `/api/incidents/${incident.id}/timeline?before=${oldest?.id ?? ''}`,
      ),
    (page) => {
      setOlder([...page.items, ...older]);
      setMore(page.more);
    },
  );
  const shown = [...older, ...incident.timeline].reverse();
  return (
    <>
      <Timeline incidentId={incident.id} entries={shown} now={now} below={below} />
      {more && oldest && (
        <Button className="btn-block timeline-more" onClick={() => load.submit()} busy={load.busy}>
          Show earlier lines ({incident.timelineTotal - shown.length} more)
        </Button>
      )}
      <ErrorNotice error={load.error} />
    </>
  );
}
