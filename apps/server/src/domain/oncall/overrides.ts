import type { CreateOverrideRequest, Override } from '@afterhours/shared';
import { canManageAccounts } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { ScheduleOverridesTable } from '../../db/schema.js';
import { badInput, forbidden, notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { change } from '../change.js';
import { assertStaffUsers, peopleById } from './people.js';
import { assertCanOverrideFor, assertCanSeeOnCall } from './policy.js';
import { presentOverride } from './presenter.js';
import { findSchedule, touchSchedule } from './schedules.js';

export async function listOverrides(
  db: Kdb,
  actor: Actor,
  scheduleId: string,
  range: { from?: string | undefined; to?: string | undefined },
  now: Date,
): Promise<{ items: Override[] }> {
  assertCanSeeOnCall(actor);
  await findSchedule(db, scheduleId);
  const from = range.from ? new Date(range.from) : now;
  const to = range.to ? new Date(range.to) : new Date(now.getTime() + 28 * 86_400_000);
  const rows = await db
    .selectFrom('schedule_overrides')
    .selectAll()
    .where('schedule_id', '=', scheduleId)
    .where('end_at', '>', from.toISOString())
    .where('start_at', '<', to.toISOString())
    .orderBy('start_at')
    .execute();
  const people = await peopleById(
    db,
    rows.map((r) => r.user_id),
  );
  return { items: rows.map((r) => presentOverride(r, people)) };
}

export async function createOverride(
  ctx: AppContext,
  actor: Actor,
  scheduleId: string,
  input: z.infer<typeof CreateOverrideRequest>,
): Promise<Override> {
  const userId = input.userId ?? actor.userId;
  if (!userId) throw badInput({ userId: 'is required when the caller is not a user' });
  assertCanOverrideFor(actor, userId);
  const start = new Date(input.start).toISOString();
  const end = new Date(input.end).toISOString();
  if (end <= ctx.clock.now().toISOString()) throw badInput({ end: 'is in the past' });
  return change(ctx, actor, async (tx) => {
    const schedule = await findSchedule(tx.db, scheduleId);
    await assertStaffUsers(tx.db, [['userId', userId]]);
    const row: ScheduleOverridesTable = {
      id: newId(),
      schedule_id: scheduleId,
      user_id: userId,
      start_at: start,
      end_at: end,
      note: input.note,
      created_by: actor.userId,
      created_at: tx.now,
    };
    await tx.db.insertInto('schedule_overrides').values(row).execute();
    await touchSchedule(tx, scheduleId);
    const people = await peopleById(tx.db, [userId]);
    await tx.audit({
      action: 'schedule.override.create',
      entityType: 'schedule',
      entityId: scheduleId,
      clientId: null,
      summary: `${people.get(userId)?.name} covers "${schedule.name}" ${start} – ${end}`,
      after: row,
    });
    return presentOverride(row, people);
  });
}

/** The person covering, whoever made it, and owners and admins may remove an override. */
export async function deleteOverride(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertCanSeeOnCall(actor);
  await change(ctx, actor, async (tx) => {
    const before = await tx.db.selectFrom('schedule_overrides').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('The override');
    const own = actor.userId !== null && (before.user_id === actor.userId || before.created_by === actor.userId);
    if (!own && !canManageAccounts(actor.role)) throw forbidden('A technician can remove only their own overrides');
    await tx.db.deleteFrom('schedule_overrides').where('id', '=', id).execute();
    await touchSchedule(tx, before.schedule_id);
    await tx.audit({
      action: 'schedule.override.delete',
      entityType: 'schedule',
      entityId: before.schedule_id,
      clientId: null,
      summary: `Override ${before.start_at} – ${before.end_at} removed`,
      before,
    });
  });
}
