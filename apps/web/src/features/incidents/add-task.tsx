import { useState } from 'react';
import type { TaskTemplate } from '@afterhours/shared';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { SelectField, TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';

interface Person {
  id: string;
  name: string;
}

/** The due time typed on the phone (its own time zone) as an instant. */
function dueInstant(local: string): string | null {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A task in a few taps: a template or a title, who, when, who hears the outcome. */
export function AddTaskDialog({
  incidentId,
  onClose,
  onAdded,
}: {
  incidentId: string;
  onClose: () => void;
  onAdded: () => void;
}) {
  const people = useApi<{ items: Person[] }>('/api/oncall/people', { live: false });
  const templates = useApi<{ items: TaskTemplate[] }>('/api/task-templates', { live: false });
  const [title, setTitle] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [assignee, setAssignee] = useState('');
  const [reportTo, setReportTo] = useState('');
  const [due, setDue] = useState('');
  const add = useSubmit(
    () =>
      api.post(`/api/incidents/${incidentId}/tasks`, {
        title,
        assigneeUserId: assignee || null,
        reportToUserId: reportTo || null,
        dueAt: dueInstant(due),
        ...(templateId ? { templateId } : {}),
      }),
    () => {
      onClose();
      onAdded();
    },
  );
  const personOptions = [
    { value: '', label: 'Nobody' },
    ...(people.data?.items ?? []).map((p) => ({ value: p.id, label: p.name })),
  ];
  const templateItems = templates.data?.items ?? [];
  return (
    <Dialog title="Add a task" onClose={onClose}>
      <form onSubmit={add.submit}>
        {templateItems.length > 0 && (
          <SelectField
            label="From a template"
            value={templateId}
            onChange={(e) => {
              setTemplateId(e.target.value);
              const picked = templateItems.find((t) => t.id === e.target.value);
              if (picked) setTitle(picked.title);
            }}
            options={[{ value: '', label: 'None' }, ...templateItems.map((t) => ({ value: t.id, label: t.title }))]}
          />
        )}
        <TextField
          label="Task"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={add.fields.title}
          required
          maxLength={300}
        />
        <SelectField
          label="Who"
          value={assignee}
          onChange={(e) => setAssignee(e.target.value)}
          options={personOptions}
          error={add.fields.assigneeUserId}
        />
        <TextField
          label="Due"
          type="datetime-local"
          value={due}
          onChange={(e) => setDue(e.target.value)}
          error={add.fields.dueAt}
          hint="In this phone’s time; the site’s time is shown beside it."
        />
        <SelectField
          label="Report to"
          value={reportTo}
          onChange={(e) => setReportTo(e.target.value)}
          options={personOptions}
          error={add.fields.reportToUserId}
          hint="Hears the outcome when it is done or blocked."
        />
        <ErrorNotice error={Object.keys(add.fields).length ? undefined : add.error} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={add.busy}>
            Add task
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
