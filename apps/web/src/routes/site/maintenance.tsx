import { useState } from 'react';
import type { MaintenanceWindow } from '@afterhours/shared';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { ActionButton } from '../../components/action-button';
import { Button } from '../../components/button';
import { SelectField, TextField } from '../../components/field';
import { Section } from '../../components/layout';
import { ErrorNotice } from '../../components/notice';
import { clockTime } from '../../lib/date-format';

const DURATIONS = [
  { value: '1', label: '1 hour' },
  { value: '2', label: '2 hours' },
  { value: '4', label: '4 hours' },
  { value: '8', label: '8 hours' },
  { value: '24', label: '24 hours' },
];

function describe(w: MaintenanceWindow, now: Date): string {
  if (w.kind === 'weekly') return `Every ${w.days.join(', ')} ${w.startTime}–${w.endTime}`;
  return w.endsAt ? `Until ${clockTime(w.endsAt, now)}` : 'Until ended';
}

/** The site's maintenance windows: alerts inside them are recorded "in maintenance" and page nobody. */
export function MaintenanceSection({ siteId, canEdit, now }: { siteId: string; canEdit: boolean; now: Date }) {
  const list = useApi<{ items: MaintenanceWindow[] }>(`/api/maintenance?siteId=${siteId}`);
  const [adding, setAdding] = useState(false);
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState('2');
  const save = useSubmit(
    () =>
      api.post(`/api/sites/${siteId}/maintenance`, {
        kind: 'once',
        endsAt: new Date(Date.now() + Number(hours) * 3600_000).toISOString(),
        reason,
      }),
    () => {
      setAdding(false);
      setReason('');
      list.reload();
    },
  );
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
        <form className="card form-card" onSubmit={save.submit} aria-label="Start maintenance">
          <TextField
            label="Reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={save.fields.reason}
            placeholder="Replacing the UPS batteries"
            required
          />
          <SelectField label="For" value={hours} onChange={(e) => setHours(e.target.value)} options={DURATIONS} />
          <ErrorNotice error={save.error && !save.fields.reason ? save.error : undefined} />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={save.busy}>
              Start
            </Button>
            <Button variant="ghost" onClick={() => setAdding(false)}>
              Cancel
            </Button>
          </div>
        </form>
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
                  {w.systemIds.length
                    ? ` · ${w.systemIds.length} system${w.systemIds.length === 1 ? '' : 's'}`
                    : ' · whole site'}
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
