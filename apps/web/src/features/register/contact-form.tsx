import { useState } from 'react';
import { api } from '../../api/client';
import type { Contact, PreferredChannel } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { CheckboxField, SelectField, TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { CHANNEL_LABELS, options } from './labels';

export function ContactFormDialog({
  clientId,
  contact,
  onClose,
}: {
  clientId: string;
  contact?: Contact;
  onClose: () => void;
}) {
  const [name, setName] = useState(contact?.name ?? '');
  const [role, setRole] = useState(contact?.role ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [phone, setPhone] = useState(contact?.phone ?? '');
  const [preferredChannel, setChannel] = useState<PreferredChannel>(contact?.preferredChannel ?? 'email');
  const [receivesIncidentUpdates, setUpdates] = useState(contact?.receivesIncidentUpdates ?? true);
  const body = () => ({
    name,
    role,
    email: email.trim() || null,
    phone: phone.trim() || null,
    preferredChannel,
    receivesIncidentUpdates,
  });
  const { busy, error, fields, submit } = useSubmit(
    () =>
      contact
        ? api.patch<Contact>(`/api/contacts/${contact.id}`, body())
        : api.post<Contact>(`/api/clients/${clientId}/contacts`, body()),
    onClose,
  );
  return (
    <Dialog title={contact ? `Edit ${contact.name}` : 'Add contact'} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        <TextField
          label="Contact name"
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields['name']}
          required
          autoFocus={!contact}
        />
        <TextField
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value)}
          error={fields['role']}
          placeholder="Office manager"
        />
        <TextField
          label="Phone"
          type="tel"
          autoComplete="off"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          error={fields['phone']}
        />
        <TextField
          label="Contact e-mail"
          type="email"
          autoComplete="off"
          autoCapitalize="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fields['email']}
        />
        <SelectField
          label="Preferred channel"
          value={preferredChannel}
          onChange={(e) => setChannel(e.target.value as PreferredChannel)}
          options={options(CHANNEL_LABELS)}
          error={fields['preferredChannel']}
        />
        <CheckboxField label="Receives incident updates" checked={receivesIncidentUpdates} onChange={setUpdates} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save contact
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
