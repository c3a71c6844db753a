import { useState } from 'react';
import { api } from '../../api/client';
import type { ApiToken, CreatedToken, Role } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { ConfirmDialog, Dialog, DialogActions } from '../../components/dialog';
import { TextField } from '../../components/field';
import { PlusIcon } from '../../components/icons';
import { ScreenHeader } from '../../components/layout';
import { Empty, ErrorNotice, Loading, Notice } from '../../components/notice';
import { timeAgo } from '../../features/register/time';
import { RoleFields } from '../../features/session/role-fields';
import { ROLE_LABELS } from '../../features/session/roles';
import { useMe } from '../../features/session/session';

type TokenList = { items: ApiToken[] } | ApiToken[];

export function TokensScreen() {
  const { data, error, loading, reload } = useApi<TokenList>('/api/tokens');
  const tokens = data === undefined ? undefined : Array.isArray(data) ? data : data.items;
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  return (
    <>
      <ScreenHeader
        title="API tokens"
        back={{ href: '/settings', label: 'Settings' }}
        actions={
          <Button variant="primary" onClick={() => setAdding(true)}>
            <PlusIcon /> New token
          </Button>
        }
      />
      <p className="muted lead">
        Tokens let scripts and other tools use the API. Send one as <code>Authorization: Bearer …</code>.
      </p>
      <ErrorNotice error={error} onRetry={reload} />
      {!tokens && loading && <Loading />}
      {tokens && tokens.length === 0 && <Empty title="No tokens yet" />}
      {tokens && tokens.length > 0 && (
        <ul className="card rows" aria-label="API tokens">
          {tokens.map((t) => (
            <li key={t.id} className="row row-static">
              <span className="row-main">
                <span className="row-title">
                  {t.name} {t.revokedAt && <span className="badge badge-muted">Revoked</span>}
                </span>
                <span className="row-meta">
                  <code>{t.prefix}…</code> · {ROLE_LABELS[t.role]} · made {timeAgo(t.createdAt)} · used{' '}
                  {timeAgo(t.lastUsedAt)}
                </span>
              </span>
              {!t.revokedAt && (
                <span className="row-actions">
                  <Button
                    small
                    variant="ghost"
                    className="text-danger"
                    aria-label={`Revoke ${t.name}`}
                    onClick={() => setRevoking(t)}
                  >
                    Revoke
                  </Button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {adding && (
        <NewTokenDialog
          onClose={() => setAdding(false)}
          onCreated={(c) => {
            setAdding(false);
            setCreated(c);
            reload();
          }}
        />
      )}
      {created && (
        <Dialog title="Copy your new token" onClose={() => setCreated(null)}>
          <Notice tone="warn">This is the only time the token is shown. Copy it now and keep it somewhere safe.</Notice>
          <div className="secret secret-block">
            <code aria-label="New token">{created.secret}</code>
            <CopyButton text={created.secret} label="Copy token" />
          </div>
          <DialogActions>
            <Button variant="primary" onClick={() => setCreated(null)}>
              Done
            </Button>
          </DialogActions>
        </Dialog>
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          message={<p>Anything using this token stops working at once. This cannot be undone.</p>}
          confirmLabel="Revoke token"
          onConfirm={() => api.del(`/api/tokens/${revoking.id}`)}
          onClose={() => setRevoking(null)}
          onDone={reload}
        />
      )}
    </>
  );
}

function NewTokenDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (created: CreatedToken) => void }) {
  const { user } = useMe();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('technician');
  const [clientId, setClientId] = useState('');
  const { busy, error, fields, submit } = useSubmit(
    () => api.post<CreatedToken>('/api/tokens', { name, role, clientId: role === 'client' ? clientId || null : null }),
    onCreated,
  );
  return (
    <Dialog title="New API token" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        <TextField
          label="Token name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields['name']}
          placeholder="Backup script at Smith & Co"
          required
          autoFocus
        />
        <RoleFields
          actorRole={user.role}
          role={role}
          clientId={clientId}
          onRole={setRole}
          onClient={setClientId}
          fields={fields}
        />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Create token
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
