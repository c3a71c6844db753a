import { useState } from 'react';
import type { MaintenanceWindow } from '@afterhours/shared';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { ActionButton } from '../../components/action-button';
import { Button } from '../../components/button';
import { Section } from '../../components/layout';
import { ErrorNotice } from '../../components/notice';
import { clockTime, formatWallTime } from '../../lib/date-format';
import { MaintenanceForm } from '../../features/maintenance/maintenance-form';
import { WEEKDAY_LABELS, WEEKDAYS } from '../../features/register/labels';

function describe(w: MaintenanceWindow, now: Date): string {
  if (w.kind === 'weekly') {
    const days = WEEKDAYS.filter((d) => w.days.includes(d)).map((d) => WEEKDAY_LABELS[d]);
    const every = `Every ${days.join(', ')} ${formatWallTime(w.startTime!)}–${formatWallTime(w.endTime!)}`;
    return w.active && w.until ? `${every} · now, until ${clockTime(w.until, now, w.timeZone)}` : every;
  }
  return w.endsAt ? `Until ${clockTime(w.endsAt, now, w.timeZone)}` : 'Until ended';
}

function namesOf(ids: string[], systems: ReadonlyArray<{ id: string; name: string }>): string {
  const names = ids.map((id) => systems.find((s) => s.id === id)?.name).filter((n) => n !== undefined);
  return names.length === ids.length ? names.join(', ') : `${ids.length} system${ids.length === 1 ? '' : 's'}`;
}

/** The site's maintenance windows: alerts inside them are recorded "in maintenance" and page nobody. */
export function MaintenanceSection({
  siteId,
  timeZone,
  systems,
  canEdit,
  now,
}: {
  siteId: string;
  timeZone: string;
  systems: ReadonlyArray<{ id: string; name: string }>;
  canEdit: boolean;
  now: Date;
}) {
  const list = useApi<{ items: MaintenanceWindow[] }>(`/api/maintenance?siteId=${siteId}`);
  const [adding, setAdding] = useState(false);
  const current = (list.data?.items ?? []).filter((w) => !w.endedAt && (w.active || w.kind === 'weekly'));
  return (
    <Section
      title="Maintenance"
      actions={
        canEdit &&
        !adding && (
          <Button small onClick={() => setAdding(true)}>
            Start maintenance
          </Button>
        )
      }
    >
      <ErrorNotice error={list.error} onRetry={list.reload} />
      {adding && (
        <MaintenanceForm
          siteId={siteId}
          timeZone={timeZone}
          systems={systems}
          onCancel={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            list.reload();
          }}
        />
      )}
      {current.length === 0 && !adding ? (
        <p className="muted small">No maintenance now: alerts here page as usual.</p>
      ) : (
        <ul className="card rows" aria-label="Maintenance windows">
          {current.map((w) => (
            <li key={w.id} className="row row-static">
              <span className="row-main">
                <span className="row-title">
                  {w.active && <span className="badge badge-info">In maintenance now</span>} {w.reason}
                </span>
                <span className="row-meta">
                  {describe(w, now)} ·{' '}
                  {w.source === 'plan' ? 'opened by a power plan' : `by ${w.createdByName ?? 'someone'}`}
                  {w.systemIds.length ? ` · ${namesOf(w.systemIds, systems)}` : ' · whole site'}
                </span>
              </span>
              {canEdit && (
                <span className="row-actions">
                  <ActionButton small action={() => api.post(`/api/maintenance/${w.id}/end`)} onDone={list.reload}>
                    End
                  </ActionButton>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
