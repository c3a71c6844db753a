import type { ClientList, Role } from '../../api/types';
import { useApi } from '../../api/use-api';
import { SelectField } from '../../components/field';
import { canGrantRole, ROLE_LABELS } from './roles';

const ROLES: readonly Role[] = ['owner', 'admin', 'technician', 'client'];

/** A role (only those the actor may grant) and, for the client role, which client firm. */
export function RoleFields({
  actorRole,
  role,
  clientId,
  onRole,
  onClient,
  fields,
}: {
  actorRole: Role;
  role: Role;
  clientId: string;
  onRole: (role: Role) => void;
  onClient: (clientId: string) => void;
  fields: Record<string, string>;
}) {
  const clients = useApi<ClientList>(role === 'client' ? '/api/clients?archived=all&limit=500' : null, { live: false });
  const roleOptions = ROLES.filter((r) => canGrantRole(actorRole, r) || r === role).map((r) => ({
    value: r,
    label: ROLE_LABELS[r],
  }));
  return (
    <>
      <SelectField
        label="Role"
        value={role}
        onChange={(e) => onRole(e.target.value as Role)}
        options={roleOptions}
        error={fields['role']}
        hint={
          role === 'client'
            ? 'Sees only their own firm, read-only.'
            : role === 'technician'
              ? 'Works on every client; cannot manage users or tokens.'
              : role === 'admin'
                ? 'Everything except the owner’s account.'
                : 'Everything.'
        }
      />
      {role === 'client' && (
        <SelectField
          label="Client firm"
          value={clientId}
          onChange={(e) => onClient(e.target.value)}
          options={[
            { value: '', label: clients.data ? 'Choose a client…' : 'Loading clients…' },
            ...(clients.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
          ]}
          error={fields['clientId']}
        />
      )}
    </>
  );
}
