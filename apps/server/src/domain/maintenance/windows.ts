import {
  maintenanceActive,
  maintenanceUntil,
  type MaintenanceTimes,
  type MaintenanceWindow,
  type WeekdayName,
} from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { MaintenanceWindowsTable } from '../../db/schema.js';
import { badInput } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';

export function timesOf(row: MaintenanceWindowsTable): MaintenanceTimes {
  return {
    kind: row.kind as 'once' | 'weekly',
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    endedAt: row.ended_at,
    days: JSON.parse(row.days_json) as WeekdayName[],
    startTime: row.start_time,
    endTime: row.end_time,
    timeZone: row.time_zone,
  };
}

export function presentWindow(
  row: MaintenanceWindowsTable,
  names: { site: string; createdBy: string | null },
  at: Date,
): MaintenanceWindow {
  return {
    id: row.id,
    clientId: row.client_id,
    siteId: row.site_id,
    siteName: names.site,
    systemIds: JSON.parse(row.system_ids_json),
    kind: row.kind as 'once' | 'weekly',
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    days: JSON.parse(row.days_json),
    startTime: row.start_time,
    endTime: row.end_time,
    timeZone: row.time_zone,
    reason: row.reason,
    source: row.source as 'person' | 'plan',
    createdBy: row.created_by,
    createdByName: names.createdBy,
    endedAt: row.ended_at,
    active: maintenanceActive(timesOf(row), at),
    until: maintenanceUntil(timesOf(row), at),
    createdAt: row.created_at,
  };
}

/** The window in force for a system (or, without one, the whole site) at `at`, if any. */
export async function maintenanceAt(
  db: Kdb,
  where: { siteId: string | null; systemId: string | null },
  at: Date,
): Promise<MaintenanceWindowsTable | null> {
  if (!where.siteId) return null;
  const rows = await db
    .selectFrom('maintenance_windows')
    .selectAll()
    .where('site_id', '=', where.siteId)
    .where('ended_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return (
    rows.find((row) => {
      const systems = JSON.parse(row.system_ids_json) as string[];
      const covers = systems.length === 0 || (where.systemId !== null && systems.includes(where.systemId));
      return covers && maintenanceActive(timesOf(row), at);
    }) ?? null
  );
}

export interface OpenMaintenance {
  siteId?: string;
  systemIds?: string[];
  reason: string;
  source: 'plan' | 'person';
  /** Open-ended when absent: ended by `endMaintenance`. */
  until?: string;
  now: string;
  createdBy?: string | null;
}

/**
 * Opens one-off windows from now, in the caller's transaction (the power work calls it as it shuts systems
 * down on purpose): the whole site when only `siteId` is given, else the systems named, one window per site.
 * Answers the windows' ids.
 */
export async function openMaintenance(trx: Kdb, input: OpenMaintenance): Promise<string[]> {
  const systemIds = [...new Set(input.systemIds ?? [])];
  const bySite = new Map<string, { clientId: string; systems: string[] }>();
  if (systemIds.length) {
    const systems = await trx
      .selectFrom('systems')
      .select(['id', 'site_id', 'client_id'])
      .where('id', 'in', systemIds)
      .execute();
    if (systems.length !== systemIds.length) throw badInput({ systemIds: 'names a system that does not exist' });
    for (const s of systems) {
      if (input.siteId && s.site_id !== input.siteId) throw badInput({ systemIds: 'names a system of another site' });
      const entry = bySite.get(s.site_id) ?? { clientId: s.client_id, systems: [] };
      entry.systems.push(s.id);
      bySite.set(s.site_id, entry);
    }
  } else if (input.siteId) {
    const site = await trx
      .selectFrom('sites')
      .select(['id', 'client_id'])
      .where('id', '=', input.siteId)
      .executeTakeFirst();
    if (!site) throw badInput({ siteId: 'names a site that does not exist' });
    bySite.set(site.id, { clientId: site.client_id, systems: [] });
  } else throw badInput({ siteId: 'or systemIds is required' });

  const ids: string[] = [];
  for (const [siteId, entry] of bySite) {
    const site = await trx.selectFrom('sites').select('time_zone').where('id', '=', siteId).executeTakeFirstOrThrow();
    const row: MaintenanceWindowsTable = {
      id: newId(),
      client_id: entry.clientId,
      site_id: siteId,
      system_ids_json: JSON.stringify(entry.systems),
      kind: 'once',
      starts_at: input.now,
      ends_at: input.until ?? null,
      days_json: '[]',
      start_time: null,
      end_time: null,
      time_zone: site.time_zone,
      reason: input.reason,
      source: input.source,
      created_by: input.createdBy ?? null,
      ended_at: null,
      created_at: input.now,
      updated_at: input.now,
    };
    await trx.insertInto('maintenance_windows').values(row).execute();
    ids.push(row.id);
  }
  return ids;
}

/** Ends windows now (the power work, when a site is back; a person, from the site screen). */
export async function endMaintenance(trx: Kdb, ids: string[], now: string): Promise<void> {
  if (!ids.length) return;
  await trx
    .updateTable('maintenance_windows')
    .set({ ended_at: now, updated_at: now })
    .where('id', 'in', ids)
    .where('ended_at', 'is', null)
    .execute();
}
