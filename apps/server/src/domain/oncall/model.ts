import type { LayerDef, OverrideDef, Restriction, ScheduleDef } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { ScheduleLayersTable, ScheduleOverridesTable, SchedulesTable } from '../../db/schema.js';

/** Rows to the pure schedule maths' definitions (packages/shared/src/oncall). */
export function layerDef(row: ScheduleLayersTable): LayerDef {
  return {
    id: row.id,
    participants: JSON.parse(row.participants_json) as string[],
    rotation: row.rotation as LayerDef['rotation'],
    everyDays: row.every_days,
    handoffTime: row.handoff_time,
    startDate: row.start_date,
    restrictions: JSON.parse(row.restrictions_json) as Restriction[],
  };
}

export function overrideDef(row: ScheduleOverridesTable): OverrideDef {
  return { id: row.id, userId: row.user_id, start: new Date(row.start_at), end: new Date(row.end_at) };
}

export interface LoadedSchedule {
  row: SchedulesTable;
  def: ScheduleDef;
  layers: ScheduleLayersTable[];
  overrides: ScheduleOverridesTable[];
}

/** A schedule with its layers and the overrides that overlap [from, to); undefined when there is no such schedule. */
export async function loadSchedule(db: Kdb, id: string, from: Date, to: Date): Promise<LoadedSchedule | undefined> {
  const row = await db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const layers = await db
    .selectFrom('schedule_layers')
    .selectAll()
    .where('schedule_id', '=', id)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  const overrides = await db
    .selectFrom('schedule_overrides')
    .selectAll()
    .where('schedule_id', '=', id)
    .where('end_at', '>', from.toISOString())
    .where('start_at', '<', to.toISOString())
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const defs = layers.map(layerDef);
  const unavailable = await unavailableAmong(db, [
    ...defs.flatMap((l) => l.participants),
    ...overrides.map((o) => o.user_id),
  ]);
  return { row, def: { timeZone: row.time_zone, layers: defs, unavailable }, layers, overrides };
}

/** Of these user ids, those that cannot be on call: disabled, removed, or no longer staff. */
async function unavailableAmong(db: Kdb, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const ok = await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', unique)
    .where('disabled', '=', 0)
    .where('role', '!=', 'client')
    .execute();
  const active = new Set(ok.map((r) => r.id));
  return unique.filter((id) => !active.has(id));
}

/** The overrides of a loaded schedule as the maths wants them (creation order: the later wins). */
export function overrideDefs(loaded: LoadedSchedule): OverrideDef[] {
  return loaded.overrides.map(overrideDef);
}
