import type { Kdb } from '../db/database.js';
import type { ScheduleLayersTable, ScheduleOverridesTable, SchedulesTable } from '../db/schema.js';
import { newId } from '../lib/ids.js';

/** On-call test data, inserted straight into the database (for setting the scene). */

const NOW = '2026-11-20T17:00:00.000Z';
let counter = 0;

export async function insertSchedule(db: Kdb, overrides: Partial<SchedulesTable> = {}): Promise<SchedulesTable> {
  const name = overrides.name ?? `Schedule ${++counter}`;
  const row: SchedulesTable = {
    id: newId(),
    name,
    name_lower: name.toLowerCase(),
    time_zone: 'Europe/London',
    team_id: null,
    ical_secret_hash: null,
    gap_check_at: NOW,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
  await db.insertInto('schedules').values(row).execute();
  return row;
}

export async function insertLayer(
  db: Kdb,
  schedule: { id: string },
  participants: string[],
  overrides: Partial<ScheduleLayersTable> = {},
): Promise<ScheduleLayersTable> {
  const row: ScheduleLayersTable = {
    id: newId(),
    schedule_id: schedule.id,
    position: 0,
    name: 'Rotation',
    participants_json: JSON.stringify(participants),
    rotation: 'daily',
    every_days: 1,
    handoff_time: '09:00',
    start_date: '2026-11-02',
    restrictions_json: '[]',
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
  await db.insertInto('schedule_layers').values(row).execute();
  return row;
}

export async function insertOverride(
  db: Kdb,
  schedule: { id: string },
  userId: string,
  start: string,
  end: string,
  overrides: Partial<ScheduleOverridesTable> = {},
): Promise<ScheduleOverridesTable> {
  const row: ScheduleOverridesTable = {
    id: newId(),
    schedule_id: schedule.id,
    user_id: userId,
    start_at: start,
    end_at: end,
    note: '',
    created_by: null,
    created_at: NOW,
    ...overrides,
  };
  await db.insertInto('schedule_overrides').values(row).execute();
  return row;
}
