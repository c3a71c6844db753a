import { useState } from 'react';
import { api, query } from '../../api/client';
import type { PingKey, SystemList } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { Dialog, DialogActions } from '../../components/dialog';
import { SelectField } from '../../components/field';
import { ErrorNotice, Loading } from '../../components/notice';

const OFF = '';

/**
 * Where `?create=1` on an unknown slug puts the heartbeat it makes: one of the client's systems, or
 * off (then `?create=1` answers 404). The hub checks the system belongs to the client; its
 * `autoCreateSystemId` error appears under the select.
 */
export function AutoCreateDialog({
  clientId,
  pingKey,
  onClose,
  onSaved,
}: {
  clientId: string;
  pingKey: PingKey;
  onClose: () => void;
  onSaved: () => void;
}) {
  const current = pingKey.autoCreateSystemId;
  const systems = useApi<SystemList>(`/api/systems${query({ clientId, archived: 'all', limit: 500 })}`, {
    live: false,
  });
  const [systemId, setSystemId] = useState(current ?? OFF);
  const { busy, error, fields, submit } = useSubmit(
    () =>
      api.post<PingKey>(`/api/clients/${clientId}/ping-key`, {
        autoCreateSystemId: systemId === OFF ? null : systemId,
      }),
    () => {
      onClose();
      onSaved();
    },
  );
  // Archived systems are offered only when already chosen, so the setting can be seen and changed.
  const choices = (systems.data?.items ?? []).filter((s) => !s.archivedAt || s.id === current);
  const options = [
    { value: OFF, label: 'Off: ?create=1 answers 404' },
    ...choices.map((s) => ({ value: s.id, label: `${s.name} (${s.siteName})${s.archivedAt ? ', archived' : ''}` })),
  ];
  const fieldError = fields['autoCreateSystemId'];
  return (
    <Dialog title="Auto-create heartbeats" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="small muted">
          A ping to <code>{pingKey.slugPathPrefix ?? '/ping/<ping key>/'}&lt;new slug&gt;?create=1</code> makes a
          heartbeat with that slug in the system chosen here, expected daily (change that on its screen).
        </p>
        <ErrorNotice error={fieldError ? undefined : error} />
        <ErrorNotice error={systems.error} onRetry={systems.reload} />
        {!systems.data && systems.loading ? (
          <Loading />
        ) : (
          <SelectField
            label="System for new heartbeats"
            value={systemId}
            onChange={(e) => setSystemId(e.target.value)}
            options={options}
            error={fieldError}
          />
        )}
        {systems.data && choices.length === 0 && (
          <p className="field-hint">This client has no systems yet: add one on a site first.</p>
        )}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={!systems.data}>
            Save auto-create
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
