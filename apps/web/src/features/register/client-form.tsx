import { useState } from 'react';
import { api } from '../../api/client';
import type { Client } from '../../api/types';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { TextAreaField, TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';
import { ContractFields, contractDraft, contractFromDraft } from './contract-fields';

/** Add a client, or edit one's name, contract and notes. */
export function ClientFormDialog({
  client,
  onClose,
  onSaved,
}: {
  client?: Client;
  onClose: () => void;
  onSaved: (client: Client) => void;
}) {
  const [name, setName] = useState(client?.name ?? '');
  const [notes, setNotes] = useState(client?.notes ?? '');
  const [contract, setContract] = useState(() => contractDraft(client?.contract));
  const body = () => ({ name, notes, contract: contractFromDraft(contract) });
  const { busy, error, fields, submit } = useSubmit(
    () => (client ? api.patch<Client>(`/api/clients/${client.id}`, body()) : api.post<Client>('/api/clients', body())),
    (saved) => {
      onClose();
      onSaved(saved);
    },
  );
  return (
    <Dialog title={client ? `Edit ${client.name}` : 'Add client'} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        <TextField
          label="Client name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields['name']}
          required
          autoFocus={!client}
        />
        <ContractFields value={contract} onChange={setContract} fields={fields} />
        <TextAreaField
          label="Notes"
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          error={fields['notes']}
          hint="Access, alarm codes location, anything the next technician should know."
        />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save client
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
