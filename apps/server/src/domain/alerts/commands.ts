import type { Alert } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { conflict, forbidden } from '../../http/errors.js';
import { isoNow } from '../../lib/clock.js';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../audit/record.js';
import { wakeOutbox } from '../escalation/ports.js';
import { acknowledgeSubject, resolveAlert } from './lifecycle.js';
import { presentAlerts, visibleAlert } from './queries.js';

/** Technicians, admins and owners acknowledge and resolve; client accounts only look. */
function assertResponder(actor: Actor): string {
  if (actor.role === 'client' || !actor.userId) throw forbidden('Only staff can acknowledge or resolve alerts');
  return actor.userId;
}

export async function acknowledgeAlert(ctx: AppContext, actor: Actor, id: string, via = 'app'): Promise<Alert> {
  const userId = assertResponder(actor);
  const now = isoNow(ctx.clock);
  await visibleAlert(ctx.db.kysely, actor, id);
  const outcome = await acknowledgeSubject(ctx.db.kysely, { type: 'alert', id }, userId, via, now);
  const row = await visibleAlert(ctx.db.kysely, actor, id);
  if (!outcome.acknowledged && row.state === 'resolved') throw conflict('The alert is already resolved');
  if (outcome.acknowledged) {
    wakeOutbox(ctx.bus);
    ctx.bus.publish({ entity: 'alert', id, action: 'updated', clientId: row.client_id, at: now });
  }
  return (await presentAlerts(ctx.db.kysely, actor, [row]))[0]!;
}

export async function resolveAlertByPerson(ctx: AppContext, actor: Actor, id: string): Promise<Alert> {
  const userId = assertResponder(actor);
  const now = isoNow(ctx.clock);
  const row = await ctx.db.kysely.transaction().execute(async (trx) => {
    const before = await visibleAlert(trx, actor, id);
    if (before.state === 'resolved') return before;
    const after = await resolveAlert(trx, before, { userId, reason: 'resolved by hand' }, now);
    await recordAudit(trx, {
      actor,
      action: 'alert.resolve',
      entityType: 'alert',
      entityId: id,
      clientId: before.client_id,
      summary: `Alert "${before.title}" resolved by hand`,
      before: { state: before.state },
      after: { state: 'resolved' },
      at: now,
    });
    return after;
  });
  wakeOutbox(ctx.bus);
  ctx.bus.publish({ entity: 'alert', id, action: 'updated', clientId: row.client_id, at: now });
  return (await presentAlerts(ctx.db.kysely, actor, [row]))[0]!;
}
