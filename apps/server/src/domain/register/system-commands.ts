import type { CreateSystemRequest, System, UpdateSystemRequest } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { SystemsTable } from '../../db/schema.js';
import { badInput, conflict } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { visibleSystem } from './access.js';
import { assertNoCycle, assertValidDependencies, replaceDependencies } from './dependencies.js';
import { archivedAtAfter } from './listing.js';
import { auditableSystem } from './system-presenter.js';
import { getSystem } from './system-queries.js';

type CreateInput = z.infer<typeof CreateSystemRequest>;
type UpdateInput = z.infer<typeof UpdateSystemRequest>;

export async function createSystem(ctx: AppContext, actor: Actor, input: CreateInput): Promise<System> {
  assertStaffWrite(actor);
  const id = newId();
  await change(ctx, actor, async (tx) => {
    const site = await tx.db
      .selectFrom('sites')
      .select(['id', 'client_id', 'name', 'archived_at'])
      .where('id', '=', input.siteId)
      .executeTakeFirst();
    if (!site) throw badInput({ siteId: `names no site (${input.siteId})` });
    if (site.archived_at)
      throw conflict(`${site.name} is archived; restore it before adding systems`, { siteId: 'is archived' });
    const row: SystemsTable = {
      id,
      site_id: site.id,
      client_id: site.client_id,
      name: input.name,
      name_lower: input.name.toLowerCase(),
      kind: input.kind,
      host: input.host || null,
      criticality: input.criticality,
      notes: input.notes,
      archived_at: null,
      created_at: tx.now,
      updated_at: tx.now,
    };
    await assertValidDependencies(tx.db, row, input.dependsOn);
    await tx.db.insertInto('systems').values(row).execute();
    await assertNoCycle(tx.db, row, input.dependsOn);
    await replaceDependencies(tx.db, row, input.dependsOn);
    await tx.audit({
      action: 'system.create',
      entityType: 'system',
      entityId: id,
      clientId: row.client_id,
      summary: `System "${row.name}" added at "${site.name}"`,
      after: auditableSystem(row, input.dependsOn),
    });
    tx.emit({ entity: 'system', id, action: 'created', clientId: row.client_id });
  });
  return getSystem(ctx.db.kysely, actor, id);
}

export async function updateSystem(ctx: AppContext, actor: Actor, id: string, input: UpdateInput): Promise<System> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const before = await visibleSystem(tx.db, actor, id);
    const dependsBefore = await dependencyIds(tx.db, id);
    const name = input.name ?? before.name;
    const after: SystemsTable = {
      ...before,
      name,
      name_lower: name.toLowerCase(),
      kind: input.kind ?? before.kind,
      host: input.host === undefined ? before.host : input.host || null,
      criticality: input.criticality ?? before.criticality,
      notes: input.notes ?? before.notes,
      archived_at: archivedAtAfter(input.archived, before.archived_at, tx.now),
      updated_at: tx.now,
    };
    const dependsAfter = input.dependsOn ?? dependsBefore;
    if (input.dependsOn) {
      await assertValidDependencies(tx.db, before, input.dependsOn);
      await assertNoCycle(tx.db, before, input.dependsOn);
    }
    const was = auditableSystem(before, dependsBefore);
    const will = auditableSystem(after, [...dependsAfter].sort());
    if (JSON.stringify(was) === JSON.stringify(will)) return;
    await tx.db.updateTable('systems').set(after).where('id', '=', id).execute();
    if (input.dependsOn) await replaceDependencies(tx.db, before, input.dependsOn);
    const verb = before.archived_at === after.archived_at ? 'update' : after.archived_at ? 'archive' : 'restore';
    await tx.audit({
      action: `system.${verb}`,
      entityType: 'system',
      entityId: id,
      clientId: after.client_id,
      summary: `System "${after.name}" ${verb === 'update' ? 'updated' : `${verb}d`}`,
      before: was,
      after: will,
    });
    tx.emit({ entity: 'system', id, action: 'updated', clientId: after.client_id });
  });
  return getSystem(ctx.db.kysely, actor, id);
}

/** Delete a system; its dependency links, both ways, go with it. */
export async function deleteSystem(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const before = await visibleSystem(tx.db, actor, id);
    const dependents = await tx.db
      .selectFrom('system_dependencies')
      .select('system_id')
      .where('depends_on_id', '=', id)
      .execute();
    const dependsOn = await dependencyIds(tx.db, id);
    await tx.db.deleteFrom('systems').where('id', '=', id).execute();
    await tx.audit({
      action: 'system.delete',
      entityType: 'system',
      entityId: id,
      clientId: before.client_id,
      summary: `System "${before.name}" deleted`,
      before: { ...auditableSystem(before, dependsOn), dependents: dependents.map((d) => d.system_id) },
    });
    tx.emit({ entity: 'system', id, action: 'deleted', clientId: before.client_id });
  });
}

async function dependencyIds(db: Kdb, id: string): Promise<string[]> {
  const rows = await db.selectFrom('system_dependencies').select('depends_on_id').where('system_id', '=', id).execute();
  return rows.map((row) => row.depends_on_id).sort();
}
