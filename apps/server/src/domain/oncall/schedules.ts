import type {
  CreateLayerRequest,
  CreateScheduleRequest,
  OnCallSchedule,
  UpdateLayerRequest,
  UpdateScheduleRequest,
} from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { ScheduleLayersTable, SchedulesTable } from '../../db/schema.js';
import { badInput, conflict, notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { change, type ChangeTx } from '../change.js';
import { layerDef } from './model.js';
import { assertStaffUsers, indexed, peopleById } from './people.js';
import { assertCanEditOnCall, assertCanSeeOnCall } from './policy.js';
import { auditableLayer, auditableSchedule, presentSchedule } from './presenter.js';

export async function findSchedule(db: Kdb, id: string): Promise<SchedulesTable> {
  const row = await db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The schedule');
  return row;
}

async function layersOf(db: Kdb, scheduleIds: string[]): Promise<ScheduleLayersTable[]> {
  if (!scheduleIds.length) return [];
  return db
    .selectFrom('schedule_layers')
    .selectAll()
    .where('schedule_id', 'in', scheduleIds)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
}

async function presentMany(db: Kdb, rows: SchedulesTable[]): Promise<OnCallSchedule[]> {
  const layers = await layersOf(
    db,
    rows.map((r) => r.id),
  );
  const people = await peopleById(
    db,
    layers.flatMap((l) => layerDef(l).participants),
  );
  return rows.map((r) =>
    presentSchedule(
      r,
      layers.filter((l) => l.schedule_id === r.id),
      people,
    ),
  );
}

export async function listSchedules(db: Kdb, actor: Actor): Promise<{ items: OnCallSchedule[] }> {
  assertCanSeeOnCall(actor);
  return { items: await presentMany(db, await db.selectFrom('schedules').selectAll().orderBy('name_lower').execute()) };
}

export async function getSchedule(db: Kdb, actor: Actor, id: string): Promise<OnCallSchedule> {
  assertCanSeeOnCall(actor);
  const [one] = await presentMany(db, [await findSchedule(db, id)]);
  return one!;
}

async function assertNameFree(db: Kdb, name: string, except?: string): Promise<void> {
  let q = db.selectFrom('schedules').select('id').where('name_lower', '=', name.toLowerCase());
  if (except) q = q.where('id', '!=', except);
  if (await q.executeTakeFirst()) throw conflict('A schedule with this name exists', { name: 'is already used' });
}

async function assertTeam(db: Kdb, teamId: string | null | undefined): Promise<void> {
  if (!teamId) return;
  if (!(await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst()))
    throw badInput({ teamId: 'is not a team' });
}

/** Every edit makes the gap worker look at the schedule again at once. */
async function touch(tx: ChangeTx, scheduleId: string): Promise<void> {
  await tx.db
    .updateTable('schedules')
    .set({ updated_at: tx.now, gap_check_at: tx.now })
    .where('id', '=', scheduleId)
    .execute();
  tx.emit({ entity: 'schedule', id: scheduleId, action: 'updated', clientId: null });
}

export async function createSchedule(ctx: AppContext, actor: Actor, input: z.infer<typeof CreateScheduleRequest>) {
  assertCanEditOnCall(actor);
  return change(ctx, actor, async (tx) => {
    await assertNameFree(tx.db, input.name);
    await assertTeam(tx.db, input.teamId);
    const row: SchedulesTable = {
      id: newId(),
      name: input.name,
      name_lower: input.name.toLowerCase(),
      time_zone: input.timeZone,
      team_id: input.teamId,
      ical_secret_hash: null,
      gap_check_at: tx.now,
      created_at: tx.now,
      updated_at: tx.now,
    };
    await tx.db.insertInto('schedules').values(row).execute();
    await tx.audit({
      action: 'schedule.create',
      entityType: 'schedule',
      entityId: row.id,
      clientId: null,
      summary: `Schedule "${row.name}" created`,
      after: auditableSchedule(row),
    });
    tx.emit({ entity: 'schedule', id: row.id, action: 'created', clientId: null });
    return presentSchedule(row, [], new Map());
  });
}

export async function updateSchedule(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof UpdateScheduleRequest>,
): Promise<OnCallSchedule> {
  assertCanEditOnCall(actor);
  await change(ctx, actor, async (tx) => {
    const before = await findSchedule(tx.db, id);
    if (input.name !== undefined) await assertNameFree(tx.db, input.name, id);
    await assertTeam(tx.db, input.teamId);
    const after: SchedulesTable = {
      ...before,
      name: input.name ?? before.name,
      name_lower: (input.name ?? before.name).toLowerCase(),
      time_zone: input.timeZone ?? before.time_zone,
      team_id: input.teamId === undefined ? before.team_id : input.teamId,
    };
    await tx.db.updateTable('schedules').set(after).where('id', '=', id).execute();
    await touch(tx, id);
    await tx.audit({
      action: 'schedule.update',
      entityType: 'schedule',
      entityId: id,
      clientId: null,
      summary: `Schedule "${after.name}" changed`,
      before: auditableSchedule(before),
      after: auditableSchedule(after),
    });
  });
  return getSchedule(ctx.db.kysely, actor, id);
}

export async function deleteSchedule(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertCanEditOnCall(actor);
  await change(ctx, actor, async (tx) => {
    const before = await findSchedule(tx.db, id);
    for (const table of ['oncall_gaps', 'schedule_overrides', 'schedule_layers'] as const)
      await tx.db.deleteFrom(table).where('schedule_id', '=', id).execute();
    await tx.db.deleteFrom('schedules').where('id', '=', id).execute();
    await tx.audit({
      action: 'schedule.delete',
      entityType: 'schedule',
      entityId: id,
      clientId: null,
      summary: `Schedule "${before.name}" deleted`,
      before: auditableSchedule(before),
    });
    tx.emit({ entity: 'schedule', id, action: 'deleted', clientId: null });
  });
}

// ---- Layers ---------------------------------------------------------------------------

async function findLayer(db: Kdb, id: string): Promise<ScheduleLayersTable> {
  const row = await db.selectFrom('schedule_layers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The layer');
  return row;
}

export async function createLayer(
  ctx: AppContext,
  actor: Actor,
  scheduleId: string,
  input: z.infer<typeof CreateLayerRequest>,
): Promise<OnCallSchedule> {
  assertCanEditOnCall(actor);
  await change(ctx, actor, async (tx) => {
    const schedule = await findSchedule(tx.db, scheduleId);
    await assertStaffUsers(tx.db, indexed('participantIds', input.participantIds));
    const top = await tx.db
      .selectFrom('schedule_layers')
      .select((eb) => eb.fn.max('position').as('top'))
      .where('schedule_id', '=', scheduleId)
      .executeTakeFirst();
    const row: ScheduleLayersTable = {
      id: newId(),
      schedule_id: scheduleId,
      position: input.position ?? (top?.top == null ? 0 : Number(top.top) + 1),
      name: input.name,
      participants_json: JSON.stringify(input.participantIds),
      rotation: input.rotation,
      every_days: input.everyDays,
      handoff_time: input.handoffTime,
      start_date: input.startDate,
      restrictions_json: JSON.stringify(input.restrictions),
      created_at: tx.now,
      updated_at: tx.now,
    };
    await tx.db.insertInto('schedule_layers').values(row).execute();
    await touch(tx, scheduleId);
    await tx.audit({
      action: 'schedule.layer.create',
      entityType: 'schedule',
      entityId: scheduleId,
      clientId: null,
      summary: `Layer "${row.name}" added to schedule "${schedule.name}"`,
      after: auditableLayer(row),
    });
  });
  return getSchedule(ctx.db.kysely, actor, scheduleId);
}

export async function updateLayer(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof UpdateLayerRequest>,
): Promise<OnCallSchedule> {
  assertCanEditOnCall(actor);
  const scheduleId = await change(ctx, actor, async (tx) => {
    const before = await findLayer(tx.db, id);
    if (input.participantIds) await assertStaffUsers(tx.db, indexed('participantIds', input.participantIds));
    const after: ScheduleLayersTable = {
      ...before,
      name: input.name ?? before.name,
      position: input.position ?? before.position,
      participants_json: input.participantIds ? JSON.stringify(input.participantIds) : before.participants_json,
      rotation: input.rotation ?? before.rotation,
      every_days: input.everyDays ?? before.every_days,
      handoff_time: input.handoffTime ?? before.handoff_time,
      start_date: input.startDate ?? before.start_date,
      restrictions_json: input.restrictions ? JSON.stringify(input.restrictions) : before.restrictions_json,
      updated_at: tx.now,
    };
    await tx.db.updateTable('schedule_layers').set(after).where('id', '=', id).execute();
    await touch(tx, before.schedule_id);
    await tx.audit({
      action: 'schedule.layer.update',
      entityType: 'schedule',
      entityId: before.schedule_id,
      clientId: null,
      summary: `Layer "${after.name}" changed`,
      before: auditableLayer(before),
      after: auditableLayer(after),
    });
    return before.schedule_id;
  });
  return getSchedule(ctx.db.kysely, actor, scheduleId);
}

export async function deleteLayer(ctx: AppContext, actor: Actor, id: string): Promise<OnCallSchedule> {
  assertCanEditOnCall(actor);
  const scheduleId = await change(ctx, actor, async (tx) => {
    const before = await findLayer(tx.db, id);
    await tx.db.deleteFrom('schedule_layers').where('id', '=', id).execute();
    await touch(tx, before.schedule_id);
    await tx.audit({
      action: 'schedule.layer.delete',
      entityType: 'schedule',
      entityId: before.schedule_id,
      clientId: null,
      summary: `Layer "${before.name}" deleted`,
      before: auditableLayer(before),
    });
    return before.schedule_id;
  });
  return getSchedule(ctx.db.kysely, actor, scheduleId);
}

export { touch as touchSchedule };
