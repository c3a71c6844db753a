import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { ChecklistSchedule, RunSummary, TemplateSummary } from '@afterhours/shared';
import type { z } from 'zod';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { ActionButton } from '../../components/action-button';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { CheckboxField, SelectField, TextField } from '../../components/field';
import { Section } from '../../components/layout';
import { Empty, ErrorNotice } from '../../components/notice';
import { formatDateTime } from '../../lib/date-format';
import { useMe } from '../session/session';
import { RUN_STATUS } from './labels';
import './checklists.css';

type Template = z.infer<typeof TemplateSummary>;
type Summary = z.infer<typeof RunSummary>;
type Schedule = z.infer<typeof ChecklistSchedule>;

/** A site's checklists: run one in one tap, the runs so far, and the schedules that run them by themselves. */
export function SiteChecklists({ siteId, timeZone, canEdit }: { siteId: string; timeZone: string; canEdit: boolean }) {
  const [, navigate] = useLocation();
  const { canEdit: staff } = useMe();
  const templates = useApi<{ items: Template[] }>(staff ? `/api/checklists?siteId=${siteId}` : null);
  const runs = useApi<{ items: Summary[] }>(`/api/checklist-runs?siteId=${siteId}&limit=5`);
  const schedules = useApi<{ items: Schedule[] }>(staff ? `/api/checklist-schedules?siteId=${siteId}` : null);
  const [scheduling, setScheduling] = useState(false);
  const [editing, setEditing] = useState<Schedule | null>(null);
  const templateItems = templates.data?.items ?? [];
  // A client user sees the site's runs and nothing else here, so no section until there is one.
  if (!staff && !runs.error && (runs.data?.items.length ?? 0) === 0) return null;
  return (
    <Section
      title="Checklists"
      actions={
        canEdit &&
        templateItems.length > 0 && (
          <Button small onClick={() => setScheduling(true)}>
            Schedule
          </Button>
        )
      }
    >
      <ErrorNotice error={templates.error ?? runs.error} />
      {canEdit && (
        <div className="cl-list">
          {templateItems.map((t) => (
            <div key={t.id} className="card cl-list-item">
              <div>
                <strong>{t.name}</strong>
                <p className="muted small">
                  {t.steps} steps · {t.automaticSteps} automatic
                </p>
              </div>
              <ActionButton
                variant="primary"
                className="cl-big"
                aria-label={`Run ${t.name}`}
                action={() =>
                  api
                    .post<{ id: string }>('/api/checklist-runs', { templateId: t.id, siteId })
                    .then((run) => navigate(`/checklist-runs/${run.id}`))
                }
              >
                Run
              </ActionButton>
            </div>
          ))}
          {templates.data && templateItems.length === 0 && (
            <Empty title="No checklists yet">
              <Link href="/settings/checklists">Write the firm's checklist in Settings</Link>
            </Empty>
          )}
        </div>
      )}
      {(runs.data?.items.length ?? 0) > 0 && (
        <ul className="rows" aria-label="Recent checklist runs">
          {runs.data?.items.map((r) => (
            <li key={r.id} className="row">
              <Link href={`/checklist-runs/${r.id}`} className="row-main">
                <span className="row-title">{r.templateName}</span>
                <span className="row-meta muted">
                  {formatDateTime(r.startedAt, timeZone)} · {r.done} of {r.total} done
                  {r.scheduled ? ' · scheduled' : ''}
                </span>
              </Link>
              <span className={`badge ${RUN_STATUS[r.status].tone}`}>{RUN_STATUS[r.status].label}</span>
            </li>
          ))}
        </ul>
      )}
      {(schedules.data?.items.length ?? 0) > 0 && (
        <ul className="rows" aria-label="Checklist schedules">
          {schedules.data?.items.map((s) => (
            <li key={s.id} className="row">
              <div className="row-main">
                <span className="row-title">
                  {s.templateName}: <code>{s.cron}</code>
                </span>
                <span className="row-meta muted">
                  {s.enabled && s.nextRunAt ? `Next ${formatDateTime(s.nextRunAt, timeZone)} (${s.timeZone})` : 'Off'}
                </span>
              </div>
              {canEdit && (
                <span className="row-actions">
                  <Button
                    small
                    variant="ghost"
                    onClick={() => setEditing(s)}
                    aria-label={`Edit ${s.templateName} schedule`}
                  >
                    Edit
                  </Button>
                  <ActionButton
                    small
                    variant="ghost"
                    action={() => api.del(`/api/checklist-schedules/${s.id}`)}
                    onDone={schedules.reload}
                  >
                    Remove
                  </ActionButton>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {(scheduling || editing) && (
        <ScheduleDialog
          siteId={siteId}
          templates={templateItems}
          schedule={editing}
          onClose={() => {
            setScheduling(false);
            setEditing(null);
          }}
          onSaved={() => {
            setScheduling(false);
            setEditing(null);
            schedules.reload();
          }}
        />
      )}
    </Section>
  );
}

/** A new schedule, or a change to `schedule` (its checklist, time, who hears the result, on or off). */
function ScheduleDialog({
  siteId,
  templates,
  schedule,
  onClose,
  onSaved,
}: {
  siteId: string;
  templates: Template[];
  schedule: Schedule | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { user } = useMe();
  const oncall = useApi<{ items: { id: string; name: string }[] }>('/api/schedules');
  const [templateId, setTemplateId] = useState(schedule?.templateId ?? templates[0]?.id ?? '');
  const [cron, setCron] = useState(schedule?.cron ?? '0 6 * * mon');
  const [enabled, setEnabled] = useState(schedule?.enabled ?? true);
  // People named on the schedule other than just me are kept as they are unless someone else is chosen.
  const named = schedule?.notifyUserIds ?? [];
  const others = named.length > 0 && !(named.length === 1 && named[0] === user.id);
  const [audience, setAudience] = useState(schedule?.oncallScheduleId ?? (others ? 'named' : 'me'));
  const body = () => ({
    templateId,
    siteId,
    cron,
    enabled,
    notifyUserIds: audience === 'me' ? [user.id] : audience === 'named' ? named : [],
    oncallScheduleId: audience === 'me' || audience === 'named' ? null : audience,
  });
  const save = useSubmit(
    () =>
      schedule
        ? api.put(`/api/checklist-schedules/${schedule.id}`, body())
        : api.post('/api/checklist-schedules', body()),
    onSaved,
  );
  return (
    <Dialog title={schedule ? 'Change the schedule' : 'Run a checklist by itself'} onClose={onClose}>
      <form onSubmit={save.submit}>
        <ErrorNotice error={save.error} />
        <SelectField
          label="Checklist"
          value={templateId}
          onChange={(e) => setTemplateId(e.target.value)}
          options={templates.map((t) => ({ value: t.id, label: t.name }))}
        />
        <TextField
          label="When (cron, site time)"
          value={cron}
          onChange={(e) => setCron(e.target.value)}
          error={save.fields.cron}
          hint="0 6 * * mon is Monday 06:00 at the site"
        />
        <SelectField
          label="Send the result to"
          value={audience}
          onChange={(e) => setAudience(e.target.value)}
          error={save.fields.notifyUserIds ?? save.fields.oncallScheduleId}
          options={[
            { value: 'me', label: 'Me' },
            ...(others ? [{ value: 'named', label: `The ${named.length} people named now` }] : []),
            ...(oncall.data?.items ?? []).map((s) => ({ value: s.id, label: `Whoever is on call: ${s.name}` })),
          ]}
        />
        {schedule && <CheckboxField label="On" checked={enabled} onChange={setEnabled} hint="(untick to pause it)" />}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={save.busy}>
            Save schedule
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
