import { canManageAccounts, isStaff } from '@afterhours/shared';
import { forbidden } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';

/** Who may see and change on-call: staff see it, owners and admins edit it, client accounts see nothing. */
export function assertCanSeeOnCall(actor: Actor): void {
  if (!isStaff(actor.role)) throw forbidden('On-call is for staff accounts only');
}

export function assertCanEditOnCall(actor: Actor): void {
  assertCanSeeOnCall(actor);
  if (!canManageAccounts(actor.role)) throw forbidden('Only an owner or admin can change teams and schedules');
}

/** A technician may put only themselves on call; owners and admins anyone. */
export function assertCanOverrideFor(actor: Actor, userId: string): void {
  assertCanSeeOnCall(actor);
  if (canManageAccounts(actor.role)) return;
  if (actor.userId !== userId) throw forbidden('A technician can make overrides only for themselves');
}
