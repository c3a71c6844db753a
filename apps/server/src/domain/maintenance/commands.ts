import type { CreateMaintenanceRequest, MaintenanceWindow } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { MaintenanceWindowsTable } from '../../db/schema.js';
import { badInput, notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertCanSeeClient, assertStaffWrite, clientScope } from '../auth/policy.js';
import { change } from '../change.js';
import { visibleSite } from '../register/access.js';
import { userNames } from '../auth/users.js';
import { endMaintenance, presentWindow } from './windows.js';

async function present(db: Kdb, rows: MaintenanceWindowsTable[], at: Date): Promise<MaintenanceWindow[]> {
  if (!rows.length) return [];
  const sites = await db
    .selectFrom('sites')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(rows.map((r) => r.site_id))])
    .execute();
  const siteNames = new Map(sites.map((s) => [s.id, s.name]));
  const users = await userNames(
    db,
    rows.flatMap((r) => (r.created_by ? [r.created_by] : [])),
  );
  return rows.map((r) =>
    presentWindow(
      r,
      { site: siteNames.get(r.site_id) ?? '', createdBy: r.created_by ? (users.get(r.created_by) ?? null) : null },
      at,
    ),
  );
}

export async function listMaintenance(
  ctx: AppContext,
  actor: Actor,
  query: { siteId?: string | undefined; active: 'true' | 'false' | 'all' },
): Promise<{ items: MaintenanceWindow[] }> {
  let q = ctx.db.kysely.selectFrom('maintenance_windows').selectAll();
  const scope = clientScope(actor);
  if (scope) q = q.where('client_id', '=', scope);
  if (query.siteId) q = q.where('site_id', '=', query.siteId);
  const rows = await q.orderBy('created_at', 'desc').limit(500).execute();
  const items = await present(ctx.db.kysely, rows, ctx.clock.now());
  return {
    items: query.active === 'all' ? items : items.filter((w) => w.active === (query.active === 'true')),
  };
}

export async function createMaintenance(
  ctx: AppContext,
  actor: Actor,
  siteId: string,
  input: CreateMaintenanceRequest,
): Promise<MaintenanceWindow> {
  assertStaffWrite(actor);
  return change(ctx, actor, async (tx) => {
    const site = await visibleSite(tx.db, actor, siteId);
    if (input.systemIds.length) {
      const systems = await tx.db
        .selectFrom('systems')
        .select('id')
        .where('id', 'in', input.systemIds)
        .where('site_id', '=', site.id)
        .execute();
      if (systems.length !== new Set(input.systemIds).size)
        throw badInput({ systemIds: 'names a system that is not at this site' });
    }
    const once = input.kind === 'once';
    if (once && input.startsAt && Date.parse(input.endsAt) <= Date.parse(input.startsAt))
      throw badInput({ endsAt: 'must be after startsAt' });
    if (once && Date.parse(input.endsAt) <= Date.parse(tx.now)) throw badInput({ endsAt: 'must be in the future' });
    if (!once && input.startTime === input.endTime) throw badInput({ endTime: 'must differ from startTime' });
    const row: MaintenanceWindowsTable = {
      id: newId(),
      client_id: site.client_id,
      site_id: site.id,
      system_ids_json: JSON.stringify([...new Set(input.systemIds)]),
      kind: input.kind,
      starts_at: once ? new Date(input.startsAt ?? tx.now).toISOString() : null,
      ends_at: once ? new Date(input.endsAt).toISOString() : null,
      days_json: JSON.stringify(once ? [] : input.days),
      start_time: once ? null : input.startTime,
      end_time: once ? null : input.endTime,
      time_zone: once ? site.time_zone : (input.timeZone ?? site.time_zone),
      reason: input.reason,
      source: 'person',
      created_by: actor.userId,
      ended_at: null,
      created_at: tx.now,
      updated_at: tx.now,
    };
    await tx.db.insertInto('maintenance_windows').values(row).execute();
    const [after] = await present(tx.db, [row], new Date(tx.now));
    await tx.audit({
      action: 'maintenance.create',
      entityType: 'maintenance',
      entityId: row.id,
      clientId: row.client_id,
      summary: `Maintenance window at "${site.name}": ${row.reason}`,
      after: after!,
    });
    tx.emit({ entity: 'maintenance', id: row.id, action: 'created', clientId: row.client_id });
    return after!;
  });
}

export async function endMaintenanceWindow(ctx: AppContext, actor: Actor, id: string): Promise<MaintenanceWindow> {
  assertStaffWrite(actor);
  return change(ctx, actor, async (tx) => {
    const row = await tx.db.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('The maintenance window');
    assertCanSeeClient(actor, row.client_id, 'The maintenance window');
    await endMaintenance(tx.db, [id], tx.now);
    const ended = { ...row, ended_at: row.ended_at ?? tx.now };
    const [after] = await present(tx.db, [ended], new Date(tx.now));
    await tx.audit({
      action: 'maintenance.end',
      entityType: 'maintenance',
      entityId: id,
      clientId: row.client_id,
      summary: `Maintenance window ended: ${row.reason}`,
      after: after!,
    });
    tx.emit({ entity: 'maintenance', id, action: 'updated', clientId: row.client_id });
    return after!;
  });
}
