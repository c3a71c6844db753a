import { useState } from 'react';
import type { TaskTemplate } from '@afterhours/shared';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { TextField } from '../../components/field';
import { ScreenHeader, Section } from '../../components/layout';
import { useListEditor } from '../../components/list-editor';
import { Empty, ErrorNotice, Loading } from '../../components/notice';

/** The firm's own task templates: the tasks a weekend plan is made of, picked in one tap on an incident. */
export function TaskTemplatesScreen() {
  const list = useApi<{ items: TaskTemplate[] }>('/api/task-templates');
  const [title, setTitle] = useState('');
  const [notes, setNotes] = useState('');
  const editor = useListEditor<TaskTemplate>({
    reload: list.reload,
    deletion: (template) => ({
      title: 'Delete this template?',
      message: `"${template.title}" is no longer offered for new tasks; tasks made from it stay as they are.`,
      confirmLabel: 'Delete',
      remove: () => api.del(`/api/task-templates/${template.id}`),
    }),
  });
  const add = useSubmit(
    () => api.post('/api/task-templates', { title, notes }),
    () => {
      setTitle('');
      setNotes('');
      list.reload();
    },
  );
  const items = list.data?.items ?? [];
  return (
    <>
      <ScreenHeader title="Task templates" back={{ href: '/settings', label: 'Settings' }} />
      <Section title="Add a template">
        <form className="card form-card" onSubmit={add.submit}>
          <TextField
            label="Task"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            error={add.fields.title}
            required
            maxLength={300}
            placeholder="Remote check of every system"
          />
          <TextField
            label="Notes"
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            error={add.fields.notes}
            maxLength={1000}
            placeholder="Report to the incident's owner"
          />
          <ErrorNotice error={Object.keys(add.fields).length ? undefined : add.error} />
          <Button type="submit" variant="primary" busy={add.busy}>
            Add template
          </Button>
        </form>
      </Section>
      <ErrorNotice error={list.error} onRetry={list.reload} />
      {!list.data && list.loading && <Loading />}
      {list.data && items.length === 0 && (
        <Empty title="No templates yet">
          <p>Tasks the firm plans again and again — be on site at opening, restart the servers and check them.</p>
        </Empty>
      )}
      {items.length > 0 && (
        <ul className="card rows" aria-label="Task templates">
          {items.map((t) => (
            <li key={t.id} className="row">
              <span className="row-main">
                <span className="row-title">{t.title}</span>
                {t.notes && <span className="row-meta">{t.notes}</span>}
              </span>
              <Button small variant="ghost" onClick={() => editor.remove(t)} aria-label={`Delete ${t.title}`}>
                Delete
              </Button>
            </li>
          ))}
        </ul>
      )}
      {editor.dialogs}
    </>
  );
}
