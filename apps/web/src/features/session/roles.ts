import type { Role } from '../../api/types';

// Mirrors packages/shared/src/roles.ts; kept here so the bundle does not pull in zod.
export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  technician: 'Technician',
  client: 'Client',
};

export const isStaff = (role: Role) => role !== 'client';
export const canManageAccounts = (role: Role) => role === 'owner' || role === 'admin';
export function canGrantRole(actor: Role, target: Role): boolean {
  if (actor === 'owner') return true;
  if (actor === 'admin') return target !== 'owner';
  return false;
}
