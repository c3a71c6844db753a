import '../../features/updates/updates.css';
import { useState } from 'react';
import { api } from '../../api/client';
import type { MessageTemplate, MessageTemplateKind, MessageTemplateList } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { SelectField, TextAreaField, TextField } from '../../components/field';
import { PlusIcon } from '../../components/icons';
import { ScreenHeader, Section } from '../../components/layout';
import { EditDeleteActions, useListEditor } from '../../components/list-editor';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { useMe } from '../../features/session/session';

const KINDS: { kind: MessageTemplateKind; title: string; empty: string }[] = [
  { kind: 'incident_update', title: 'Updates from an incident', empty: 'No incident update templates' },
  { kind: 'checklist_report', title: 'Checklist reports', empty: 'No checklist report templates' },
];

/** The firm's wording for client updates: picked when sending, edited before it goes. Owners and admins change them. */
export function MessageTemplatesScreen() {
  const { canManage } = useMe();
  const { data, error, loading, reload } = useApi<MessageTemplateList>('/api/message-templates');
  const editor = useListEditor<MessageTemplate>({
    reload,
    dialog: (template, close, done) =>
      data && <TemplateDialog template={template} placeholders={data.placeholders} onClose={close} onDone={done} />,
    deletion: (template) => ({
      title: `Delete “${template.name}”?`,
      message: <p>Updates already sent keep their words.</p>,
      confirmLabel: 'Delete template',
      remove: () => api.del(`/api/message-templates/${template.id}`),
    }),
  });
  return (
    <>
      <ScreenHeader
        title="Message templates"
        back={{ href: '/settings', label: 'Settings' }}
        actions={
          canManage && (
            <Button variant="primary" aria-label="New template" onClick={editor.add}>
              <PlusIcon /> New
            </Button>
          )
        }
      />
      <p className="muted">
        What the client is told. Pick one when sending an update, change the words, then send. Words in braces, such as{' '}
        {'{client}'}, are filled in.
      </p>
      <ErrorNotice error={error} onRetry={reload} />
      {!data && loading && <Loading />}
      {data &&
        KINDS.map(({ kind, title, empty }) => {
          const items = data.items.filter((t) => t.kind === kind);
          return (
            <Section key={kind} title={title}>
              {items.length === 0 && <Empty title={empty} />}
              {items.length > 0 && (
                <ul className="card rows" aria-label={title}>
                  {items.map((t) => (
                    <li key={t.id} className="row row-static">
                      <span className="row-main">
                        <span className="row-title">{t.name}</span>
                        <span className="row-meta">{t.subject}</span>
                      </span>
                      {canManage && (
                        <EditDeleteActions
                          name={t.name}
                          onEdit={() => editor.edit(t)}
                          onDelete={() => editor.remove(t)}
                        />
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </Section>
          );
        })}
      {editor.dialogs}
    </>
  );
}

function TemplateDialog({
  template,
  placeholders,
  onClose,
  onDone,
}: {
  template: MessageTemplate | null;
  placeholders: MessageTemplateList['placeholders'];
  onClose: () => void;
  onDone: () => void;
}) {
  const [kind, setKind] = useState<MessageTemplateKind>(template?.kind ?? 'incident_update');
  const [name, setName] = useState(template?.name ?? '');
  const [subject, setSubject] = useState(template?.subject ?? '');
  const [body, setBody] = useState(template?.body ?? '');
  const { busy, error, fields, submit } = useSubmit(
    () =>
      template
        ? api.patch(`/api/message-templates/${template.id}`, { name, subject, body })
        : api.post('/api/message-templates', { kind, name, subject, body }),
    onDone,
  );
  return (
    <Dialog title={template ? `Edit “${template.name}”` : 'New template'} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        {!template && (
          <SelectField
            label="Used for"
            value={kind}
            onChange={(e) => setKind(e.target.value as MessageTemplateKind)}
            options={KINDS.map((k) => ({ value: k.kind, label: k.title }))}
            error={fields['kind']}
          />
        )}
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fields['name']} />
        <TextField
          label="Subject"
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          error={fields['subject']}
          hint="The e-mail's subject; an SMS carries the message only."
        />
        <TextAreaField
          label="Message"
          rows={8}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          error={fields['body']}
        />
        <ul className="placeholder-help" aria-label="Placeholders">
          {placeholders[kind].map((p) => (
            <li key={p.name}>
              <code>{`{${p.name}}`}</code> {p.meaning}
            </li>
          ))}
        </ul>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            {template ? 'Save' : 'Add template'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
