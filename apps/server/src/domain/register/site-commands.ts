import type { CreateSiteRequest, Site, UpdateSiteRequest } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { SitesTable } from '../../db/schema.js';
import { badInput, conflict } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { visibleSite } from './access.js';
import { archivedAtAfter } from './listing.js';
import { auditableSite } from './site-presenter.js';
import { getSite } from './site-queries.js';

type CreateInput = z.infer<typeof CreateSiteRequest>;
type UpdateInput = z.infer<typeof UpdateSiteRequest>;

export async function createSite(ctx: AppContext, actor: Actor, input: CreateInput): Promise<Site> {
  assertStaffWrite(actor);
  const id = newId();
  await change(ctx, actor, async (tx) => {
    const client = await tx.db
      .selectFrom('clients')
      .select(['id', 'name', 'archived_at'])
      .where('id', '=', input.clientId)
      .executeTakeFirst();
    if (!client) throw badInput({ clientId: `names no client (${input.clientId})` });
    if (client.archived_at)
      throw conflict(`${client.name} is archived; restore it before adding sites`, { clientId: 'is archived' });
    const row: SitesTable = {
      id,
      client_id: client.id,
      name: input.name,
      name_lower: input.name.toLowerCase(),
      address: input.address,
      time_zone: input.timeZone,
      notes: input.notes,
      archived_at: null,
      created_at: tx.now,
      updated_at: tx.now,
    };
    await tx.db.insertInto('sites').values(row).execute();
    await tx.audit({
      action: 'site.create',
      entityType: 'site',
      entityId: id,
      clientId: client.id,
      summary: `Site "${row.name}" added to "${client.name}"`,
      after: auditableSite(row),
    });
    tx.emit({ entity: 'site', id, action: 'created', clientId: client.id });
  });
  return getSite(ctx.db.kysely, actor, id);
}

export async function updateSite(ctx: AppContext, actor: Actor, id: string, input: UpdateInput): Promise<Site> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const before = await visibleSite(tx.db, actor, id);
    const name = input.name ?? before.name;
    const after: SitesTable = {
      ...before,
      name,
      name_lower: name.toLowerCase(),
      address: input.address ?? before.address,
      time_zone: input.timeZone ?? before.time_zone,
      notes: input.notes ?? before.notes,
      archived_at: archivedAtAfter(input.archived, before.archived_at, tx.now),
      updated_at: tx.now,
    };
    if (JSON.stringify(auditableSite(before)) === JSON.stringify(auditableSite(after))) return;
    await tx.db.updateTable('sites').set(after).where('id', '=', id).execute();
    const verb = before.archived_at === after.archived_at ? 'update' : after.archived_at ? 'archive' : 'restore';
    await tx.audit({
      action: `site.${verb}`,
      entityType: 'site',
      entityId: id,
      clientId: after.client_id,
      summary: `Site "${after.name}" ${verb === 'update' ? 'updated' : `${verb}d`}`,
      before: auditableSite(before),
      after: auditableSite(after),
    });
    tx.emit({ entity: 'site', id, action: 'updated', clientId: after.client_id });
  });
  return getSite(ctx.db.kysely, actor, id);
}

/** Delete a site and, through the foreign keys, its systems and their dependencies. */
export async function deleteSite(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const before = await visibleSite(tx.db, actor, id);
    const systems = await tx.db
      .selectFrom('systems')
      .select('name')
      .where('site_id', '=', id)
      .orderBy('name')
      .execute();
    await tx.db.deleteFrom('sites').where('id', '=', id).execute();
    await tx.audit({
      action: 'site.delete',
      entityType: 'site',
      entityId: id,
      clientId: before.client_id,
      summary: `Site "${before.name}" deleted with ${systems.length} system(s)`,
      before: { ...auditableSite(before), systems: systems.map((s) => s.name) },
    });
    tx.emit({ entity: 'site', id, action: 'deleted', clientId: before.client_id });
  });
}
