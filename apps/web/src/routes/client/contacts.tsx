import { useState } from 'react';
import { api } from '../../api/client';
import type { Contact, ContactList } from '../../api/types';
import { useApi } from '../../api/use-api';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/dialog';
import { PlusIcon } from '../../components/icons';
import { Section } from '../../components/layout';
import { ErrorNotice, Loading } from '../../components/notice';
import { ContactFormDialog } from '../../features/register/contact-form';
import { CHANNEL_LABELS } from '../../features/register/labels';

export function ContactsSection({ clientId, canEdit }: { clientId: string; canEdit: boolean }) {
  const { data, error, loading, reload } = useApi<ContactList>(`/api/clients/${clientId}/contacts?limit=500`);
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Contact | null>(null);
  return (
    <Section
      title="Contacts"
      actions={
        canEdit && (
          <Button small onClick={() => setEditing('new')}>
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
                <div className="card-actions">
                  <Button small variant="ghost" aria-label={`Edit ${c.name}`} onClick={() => setEditing(c)}>
                    Edit
                  </Button>
                  <Button
                    small
                    variant="ghost"
                    className="text-danger"
                    aria-label={`Delete ${c.name}`}
                    onClick={() => setDeleting(c)}
                  >
                    Delete
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <ContactFormDialog
          clientId={clientId}
          contact={editing === 'new' ? undefined : editing}
          onClose={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          message={<p>They will no longer be told about incidents. This cannot be undone.</p>}
          confirmLabel="Delete contact"
          onConfirm={() => api.del(`/api/contacts/${deleting.id}`)}
          onClose={() => setDeleting(null)}
          onDone={reload}
        />
      )}
    </Section>
  );
}
