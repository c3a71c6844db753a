import type { NotificationRule } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { conflict, notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { change } from '../change.js';
import { ownMethod, ownUser } from './ownership.js';
import { presentRule } from './present.js';

export async function addRule(
  ctx: AppContext,
  actor: Actor,
  input: { methodId: string; delayMinutes: number; urgency: 'high' | 'low' },
): Promise<NotificationRule> {
  const userId = ownUser(actor);
  return change(ctx, actor, async (tx) => {
    await ownMethod(tx.db, userId, input.methodId, 'methodId');
    const same = await tx.db
      .selectFrom('notification_rules')
      .select('id')
      .where('user_id', '=', userId)
      .where('method_id', '=', input.methodId)
      .where('urgency', '=', input.urgency)
      .where('delay_minutes', '=', input.delayMinutes)
      .executeTakeFirst();
    if (same) throw conflict('You already have this rule', { delayMinutes: 'is already set for this method' });
    const row = {
      id: newId(),
      user_id: userId,
      method_id: input.methodId,
      delay_minutes: input.delayMinutes,
      urgency: input.urgency,
      created_at: tx.now,
    };
    await tx.db.insertInto('notification_rules').values(row).execute();
    await tx.audit({
      action: 'notification_rule.create',
      entityType: 'user',
      entityId: userId,
      clientId: null,
      summary: `Notification rule: ${input.urgency} urgency after ${input.delayMinutes} min`,
      after: presentRule(row),
    });
    return presentRule(row);
  });
}

export async function removeRule(ctx: AppContext, actor: Actor, id: string) {
  const userId = ownUser(actor);
  await change(ctx, actor, async (tx) => {
    const row = await tx.db
      .selectFrom('notification_rules')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) throw notFound('The rule');
    await tx.db.deleteFrom('notification_rules').where('id', '=', id).execute();
    await tx.audit({
      action: 'notification_rule.delete',
      entityType: 'user',
      entityId: userId,
      clientId: null,
      summary: 'Notification rule removed',
      before: presentRule(row),
    });
  });
  return { ok: true as const };
}
