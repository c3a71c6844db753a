import { useState } from 'react';
import { api } from '../../api/client';
import type { Role, User } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useSubmit } from '../../api/use-submit';
import { Button } from '../../components/button';
import { ConfirmDialog, Dialog, DialogActions } from '../../components/dialog';
import { CheckboxField, TextField } from '../../components/field';
import { PlusIcon } from '../../components/icons';
import { ScreenHeader } from '../../components/layout';
import { Empty, ErrorNotice, Loading } from '../../components/notice';
import { timeAgo } from '../../features/register/time';
import { RoleFields } from '../../features/session/role-fields';
import { canGrantRole, ROLE_LABELS } from '../../features/session/roles';
import { useMe } from '../../features/session/session';

type UserList = { items: User[] } | User[];
const itemsOf = (list: UserList | undefined): User[] | undefined =>
  list === undefined ? undefined : Array.isArray(list) ? list : list.items;

export function UsersScreen() {
  const { user: me, canManage } = useMe();
  const { data, error, loading, reload } = useApi<UserList>('/api/users');
  const users = itemsOf(data);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);

  return (
    <>
      <ScreenHeader
        title="Users"
        back={{ href: '/settings', label: 'Settings' }}
        actions={
          canManage && (
            <Button variant="primary" onClick={() => setEditing('new')}>
              <PlusIcon /> Add user
            </Button>
          )
        }
      />
      <ErrorNotice error={error} onRetry={reload} />
      {!users && loading && <Loading />}
      {users && users.length === 0 && <Empty title="No users" />}
      {users && users.length > 0 && (
        <ul className="card rows" aria-label="Users">
          {users.map((u) => {
            const mayEdit = canManage && canGrantRole(me.role, u.role);
            return (
              <li key={u.id} className="row row-static">
                <span className="row-main">
                  <span className="row-title">
                    {u.name} {u.id === me.id && <span className="badge badge-info">You</span>}
                    {u.disabled && <span className="badge badge-muted">Disabled</span>}
                  </span>
                  <span className="row-meta">
                    {u.email} · {ROLE_LABELS[u.role]} · {u.totpEnabled ? 'two-factor on' : 'no two-factor'} · last in{' '}
                    {timeAgo(u.lastSignInAt)}
                  </span>
                </span>
                {mayEdit && (
                  <span className="row-actions">
                    <Button small variant="ghost" aria-label={`Edit ${u.name}`} onClick={() => setEditing(u)}>
                      Edit
                    </Button>
                    {u.totpEnabled && u.id !== me.id && (
                      <Button
                        small
                        variant="ghost"
                        aria-label={`Reset two-factor of ${u.name}`}
                        onClick={() => setResetting(u)}
                      >
                        Reset 2FA
                      </Button>
                    )}
                    {u.id !== me.id && (
                      <Button
                        small
                        variant="ghost"
                        className="text-danger"
                        aria-label={`Delete ${u.name}`}
                        onClick={() => setDeleting(u)}
                      >
                        Delete
                      </Button>
                    )}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {editing && (
        <UserFormDialog
          user={editing === 'new' ? undefined : editing}
          onClose={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
      {resetting && (
        <ConfirmDialog
          title={`Reset two-factor of ${resetting.name}?`}
          message={
            <p>
              For a lost phone: two-factor sign-in is turned off and {resetting.email} is signed out everywhere. They
              sign in with their password and set up two-factor again on the new phone.
            </p>
          }
          confirmLabel="Reset two-factor"
          onConfirm={() => api.post(`/api/users/${resetting.id}/two-factor/reset`)}
          onClose={() => setResetting(null)}
          onDone={reload}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          message={
            <p>
              {deleting.email} can no longer sign in. Their past actions stay in the audit log. To pause an account
              instead, edit it and tick Disabled.
            </p>
          }
          confirmLabel="Delete user"
          onConfirm={() => api.del(`/api/users/${deleting.id}`)}
          onClose={() => setDeleting(null)}
          onDone={reload}
        />
      )}
    </>
  );
}

function UserFormDialog({ user, onClose }: { user?: User; onClose: () => void }) {
  const { user: me } = useMe();
  const [name, setName] = useState(user?.name ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'technician');
  const [clientId, setClientId] = useState(user?.clientId ?? '');
  const [password, setPassword] = useState('');
  const [disabled, setDisabled] = useState(user?.disabled ?? false);
  const client = role === 'client' ? clientId || null : null;
  const { busy, error, fields, submit } = useSubmit(
    () =>
      user
        ? api.patch<User>(`/api/users/${user.id}`, {
            name,
            ...(user.id === me.id ? {} : { role, clientId: client, disabled }),
            ...(password ? { password } : {}),
          })
        : api.post<User>('/api/users', { name, email, role, clientId: client, password }),
    onClose,
  );
  return (
    <Dialog title={user ? `Edit ${user.name}` : 'Add user'} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorNotice error={error} />
        <TextField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields['name']}
          autoComplete="off"
          required
        />
        {!user && (
          <TextField
            label="E-mail"
            type="email"
            autoComplete="off"
            autoCapitalize="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={fields['email']}
            required
          />
        )}
        {user?.id !== me.id && (
          <RoleFields
            actorRole={me.role}
            role={role}
            clientId={clientId}
            onRole={setRole}
            onClient={setClientId}
            fields={fields}
          />
        )}
        <TextField
          label={user ? 'New password' : 'Password'}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields['password']}
          hint={
            user
              ? 'Leave empty to keep the current password.'
              : 'At least 10 characters. Tell them to change it after signing in.'
          }
          required={!user}
        />
        {user && user.id !== me.id && (
          <CheckboxField label="Disabled" hint="(cannot sign in)" checked={disabled} onChange={setDisabled} />
        )}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            Save user
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
