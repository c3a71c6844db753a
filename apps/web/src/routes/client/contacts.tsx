import { api } from '../../api/client';
import type { Contact, ContactList } from '../../api/types';
import { useApi } from '../../api/use-api';
import { Button } from '../../components/button';
import { PlusIcon } from '../../components/icons';
import { Section } from '../../components/layout';
import { EditDeleteActions, useListEditor } from '../../components/list-editor';
import { ErrorNotice, Loading } from '../../components/notice';
import { ContactFormDialog } from '../../features/register/contact-form';
import { CHANNEL_LABELS } from '../../features/register/labels';

export function ContactsSection({ clientId, canEdit }: { clientId: string; canEdit: boolean }) {
  const { data, error, loading, reload } = useApi<ContactList>(`/api/clients/${clientId}/contacts?limit=500`);
  const editor = useListEditor<Contact>({
    reload,
    // The form closes itself when saved as when cancelled; the list reloads either way.
    dialog: (contact, _close, done) => (
      <ContactFormDialog clientId={clientId} contact={contact ?? undefined} onClose={done} />
    ),
    deletion: (contact) => ({
      title: `Delete ${contact.name}?`,
      message: <p>They will no longer be told about incidents. This cannot be undone.</p>,
      confirmLabel: 'Delete contact',
      remove: () => api.del(`/api/contacts/${contact.id}`),
    }),
  });
  return (
    <Section
      title="Contacts"
      actions={
        canEdit && (
          <Button small onClick={editor.add}>
            <PlusIcon /> Add contact
          </Button>
        )
      }
    >
      <ErrorNotice error={error} onRetry={reload} />
      {!data && loading && <Loading />}
      {data && data.items.length === 0 && <p className="muted">No contacts yet. Add who to call and who to tell.</p>}
      {data && data.items.length > 0 && (
        <ul className="contact-list" aria-label="Contacts">
          {data.items.map((c) => (
            <li key={c.id} className="card contact">
              <div className="contact-head">
                <h3>{c.name}</h3>
                {c.role && <span className="muted small">{c.role}</span>}
              </div>
              <div className="contact-links">
                {c.phone && (
                  <a className="btn btn-secondary btn-small" href={`tel:${c.phone.replace(/[^+0-9]/g, '')}`}>
                    Call {c.phone}
                  </a>
                )}
                {c.email && (
                  <a className="btn btn-secondary btn-small" href={`mailto:${c.email}`}>
                    {c.email}
                  </a>
                )}
              </div>
              <p className="muted small">
                Prefers {CHANNEL_LABELS[c.preferredChannel].toLowerCase()} ·{' '}
                {c.receivesIncidentUpdates ? 'gets incident updates' : 'no incident updates'}
              </p>
              {canEdit && (
                <EditDeleteActions
                  name={c.name}
                  className="card-actions"
                  onEdit={() => editor.edit(c)}
                  onDelete={() => editor.remove(c)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {editor.dialogs}
    </Section>
  );
}
