import { z } from 'zod';

export const Role = z.enum(['owner', 'admin', 'technician', 'client']);
export type Role = z.infer<typeof Role>;

/** Staff roles see every client; a client user sees only their own firm. */
export const STAFF_ROLES = ['owner', 'admin', 'technician'] as const satisfies readonly Role[];
export const MANAGER_ROLES = ['owner', 'admin'] as const satisfies readonly Role[];

export function isStaff(role: Role): boolean {
  return role !== 'client';
}

export function canManageAccounts(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

/** Whether an actor of role `actor` may grant `target` to a user or token. */
export function canGrantRole(actor: Role, target: Role): boolean {
  if (actor === 'owner') return true;
  if (actor === 'admin') return target !== 'owner';
  return false;
}
