import { canGrantRole, canManageAccounts, isStaff, type Role } from '@afterhours/shared';
import { forbidden, notFound } from '../../http/errors.js';
import type { Actor } from './actor.js';

/**
 * Permission rules in one place. Client users and client tokens are read-only and confined to
 * their own firm; anything of another firm is reported as "not found", so ids do not leak.
 */
export function assertCanSeeClient(actor: Actor, clientId: string, what: string): void {
  if (actor.role === 'client' && actor.clientId !== clientId) throw notFound(what);
}

export function assertStaffWrite(actor: Actor): void {
  if (!isStaff(actor.role)) throw forbidden('Client accounts are read-only');
}

export function assertAccountManager(actor: Actor): void {
  if (!canManageAccounts(actor.role)) throw forbidden('Only an owner or admin can manage users and tokens');
}

export function assertCanGrant(actor: Actor, role: Role): void {
  if (!canGrantRole(actor.role, role)) throw forbidden(`You cannot grant the ${role} role`);
}

/** The client a listing is confined to: the actor's own firm for client accounts, else the filter asked for. */
export function clientScope(actor: Actor, requested?: string): string | undefined {
  return actor.role === 'client' ? (actor.clientId ?? '00000000-0000-0000-0000-000000000000') : requested;
}
