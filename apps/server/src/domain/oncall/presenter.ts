import type { Layer, Override, Person, OnCallSchedule, Shift, ShiftOut, Team } from '@afterhours/shared';
import type { ScheduleLayersTable, ScheduleOverridesTable, SchedulesTable, TeamsTable } from '../../db/schema.js';
import { layerDef } from './model.js';

const person = (people: Map<string, Person>, id: string): Person => people.get(id) ?? { id, name: 'Removed user' };

export function presentTeam(row: TeamsTable, memberIds: string[], people: Map<string, Person>): Team {
  return {
    id: row.id,
    name: row.name,
    members: memberIds.map((id) => person(people, id)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function presentLayer(row: ScheduleLayersTable, people: Map<string, Person>): Layer {
  const def = layerDef(row);
  return {
    id: row.id,
    scheduleId: row.schedule_id,
    position: row.position,
    name: row.name,
    participants: def.participants.map((id) => person(people, id)),
    rotation: def.rotation,
    everyDays: def.everyDays,
    handoffTime: def.handoffTime,
    startDate: def.startDate,
    restrictions: def.restrictions,
  };
}

export function presentSchedule(
  row: SchedulesTable,
  layers: ScheduleLayersTable[],
  people: Map<string, Person>,
): OnCallSchedule {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.time_zone,
    teamId: row.team_id,
    layers: layers.map((l) => presentLayer(l, people)),
    icalFeed: row.ical_secret_hash !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function presentOverride(row: ScheduleOverridesTable, people: Map<string, Person>): Override {
  return {
    id: row.id,
    scheduleId: row.schedule_id,
    user: person(people, row.user_id),
    start: row.start_at,
    end: row.end_at,
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export function presentShift(shift: Shift, people: Map<string, Person>): ShiftOut {
  return {
    start: shift.start.toISOString(),
    end: shift.end.toISOString(),
    user: shift.userId ? person(people, shift.userId) : null,
    source: shift.source,
    layerId: shift.layerId,
    overrideId: shift.overrideId,
  };
}

/** What the audit log keeps of a layer (the rotation as stored). */
export function auditableLayer(row: ScheduleLayersTable) {
  const { created_at: _c, updated_at: _u, ...rest } = row;
  return rest;
}

export function auditableSchedule(row: SchedulesTable) {
  return { id: row.id, name: row.name, timeZone: row.time_zone, teamId: row.team_id };
}
