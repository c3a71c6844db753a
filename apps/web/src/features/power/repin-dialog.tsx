import { useState } from 'react';
import type { SitePower } from '@afterhours/shared';
import { api } from '../../api/client';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { TextField } from '../../components/field';
import { ErrorNotice } from '../../components/notice';

type SystemPower = SitePower['systems'][number];

/**
 * Trust a new SSH host key after the server was reinstalled: the key the server showed is filled in,
 * to compare with the server's own (`ssh-keygen -lf`) before typing the system's name.
 */
export function RepinDialog({
  system,
  onClose,
  onSaved,
}: {
  system: SystemPower;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [hostKey, setHostKey] = useState(system.hostKeyRefused ?? '');
  const [typed, setTyped] = useState('');
  const { busy, error, fields, submit } = useSubmit(
    () => api.post(`/api/systems/${system.systemId}/power/host-key`, { hostKey, systemName: typed }),
    () => {
      onClose();
      onSaved();
    },
  );
  return (
    <Dialog title={`${system.hostKey ? 'Re-pin' : 'Pin'} the host key of ${system.systemName}`} onClose={onClose}>
      <form onSubmit={submit} noValidate aria-label="Re-pin host key">
        <ErrorNotice error={error && !fields.hostKey && !fields.systemName ? error : undefined} />
        <p className="small">
          Only if the server was reinstalled or its SSH keys were replaced. Compare with the server's console:{' '}
          <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>. A key that changed for no reason may be someone
          else answering in its place.
        </p>
        {system.hostKey && (
          <p className="small wrap-anywhere">
            Pinned now: <code>{system.hostKey}</code>
          </p>
        )}
        <TextField
          label="New key"
          value={hostKey}
          onChange={(e) => setHostKey(e.target.value)}
          error={fields.hostKey}
          placeholder="SHA256:…"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
        />
        <TextField
          label="System name"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          error={fields.systemName}
          hint={`Type ${system.systemName} to confirm.`}
          autoComplete="off"
        />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="danger" busy={busy} disabled={typed.trim() !== system.systemName}>
            Trust this key
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
