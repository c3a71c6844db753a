import type { Bindings, BindingsRequest } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import { badInput } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { visibleSite } from '../register/access.js';
import { bodyOf, visibleTemplate } from './templates.js';

type BindingMap = z.infer<typeof BindingsRequest>['bindings'];

export async function bindingsAt(db: Kdb, templateId: string, siteId: string): Promise<BindingMap> {
  const row = await db
    .selectFrom('checklist_bindings')
    .select('bindings_json')
    .where('template_id', '=', templateId)
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return row ? (JSON.parse(row.bindings_json) as BindingMap) : {};
}

export async function getBindings(
  ctx: AppContext,
  actor: Actor,
  templateId: string,
  siteId: string,
): Promise<z.infer<typeof Bindings>> {
  await visibleTemplate(ctx.db.kysely, actor, templateId);
  await visibleSite(ctx.db.kysely, actor, siteId);
  return { templateId, siteId, bindings: await bindingsAt(ctx.db.kysely, templateId, siteId) };
}

/**
 * Which system, check or heartbeat each step of a template means at one site. Every id must belong to
 * that site, and every key to the template: a binding can never reach into another firm.
 */
export async function saveBindings(
  ctx: AppContext,
  actor: Actor,
  templateId: string,
  siteId: string,
  bindings: BindingMap,
): Promise<void> {
  assertStaffWrite(actor);
  const template = await visibleTemplate(ctx.db.kysely, actor, templateId);
  const site = await visibleSite(ctx.db.kysely, actor, siteId);
  if (template.site_id && template.site_id !== site.id)
    throw badInput({ siteId: 'is not the site this checklist belongs to' });
  const keys = new Set(bodyOf(template).sections.flatMap((s) => s.steps.map((step) => step.key)));
  const fields: Record<string, string> = {};
  const db = ctx.db.kysely;
  for (const [key, binding] of Object.entries(bindings)) {
    if (!keys.has(key)) fields[`bindings.${key}`] = 'is not a step of this checklist';
    const checks: Array<[string, string | undefined, 'systems' | 'checks' | 'heartbeats']> = [
      ['systemId', binding.systemId, 'systems'],
      ['checkId', binding.checkId, 'checks'],
      ['heartbeatId', binding.heartbeatId, 'heartbeats'],
    ];
    for (const [field, id, table] of checks) {
      if (!id) continue;
      const found = await db
        .selectFrom(table)
        .select('id')
        .where('id', '=', id)
        .where('site_id', '=', site.id)
        .executeTakeFirst();
      if (!found) fields[`bindings.${key}.${field}`] = `is not one of ${site.name}'s ${table}`;
    }
  }
  if (Object.keys(fields).length) throw badInput(fields);
  await change(ctx, actor, async (tx) => {
    await tx.db
      .insertInto('checklist_bindings')
      .values({
        template_id: templateId,
        site_id: siteId,
        client_id: site.client_id,
        bindings_json: JSON.stringify(bindings),
        updated_at: tx.now,
      })
      .onConflict((oc) =>
        oc
          .columns(['template_id', 'site_id'])
          .doUpdateSet({ bindings_json: JSON.stringify(bindings), updated_at: tx.now }),
      )
      .execute();
    await tx.audit({
      action: 'checklist.bind',
      entityType: 'checklist_template',
      entityId: templateId,
      clientId: site.client_id,
      summary: `Checklist "${template.name}" bound at ${site.name}`,
    });
    tx.emit({ entity: 'checklist_template', id: templateId, action: 'updated', clientId: site.client_id });
  });
}
