import type { QuietHours } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { badInput } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { change } from '../change.js';
import { ownUser } from './ownership.js';

export async function setQuietHours(ctx: AppContext, actor: Actor, input: QuietHours): Promise<QuietHours> {
  const userId = ownUser(actor);
  if ((input.start === null) !== (input.end === null))
    throw badInput({ [input.start === null ? 'start' : 'end']: 'is required when the other end is set' });
  return change(ctx, actor, async (tx) => {
    const row = {
      user_id: userId,
      quiet_start: input.start,
      quiet_end: input.end,
      time_zone: input.timeZone,
      updated_at: tx.now,
    };
    await tx.db
      .insertInto('notification_prefs')
      .values(row)
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({
          quiet_start: row.quiet_start,
          quiet_end: row.quiet_end,
          time_zone: row.time_zone,
          updated_at: tx.now,
        }),
      )
      .execute();
    await tx.audit({
      action: 'notification_prefs.update',
      entityType: 'user',
      entityId: userId,
      clientId: null,
      summary: input.start ? `Quiet hours ${input.start}–${input.end} (${input.timeZone})` : 'Quiet hours off',
      after: input,
    });
    return input;
  });
}
