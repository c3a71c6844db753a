import type { z } from 'zod';
import type { Template, TemplateBody, TemplateRequest, TemplateSummary, TemplateUpdate } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { ChecklistTemplatesTable } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertCanSeeClient, assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { visibleSite } from '../register/access.js';

type Summary = z.infer<typeof TemplateSummary>;

/** A template the actor may see: client accounts see only their own sites' templates, not the firm's global ones. */
export async function visibleTemplate(db: Kdb, actor: Actor, id: string): Promise<ChecklistTemplatesTable> {
  const row = await db.selectFrom('checklist_templates').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || (row.client_id === null && actor.role === 'client')) throw notFound('The checklist');
  if (row.client_id) assertCanSeeClient(actor, row.client_id, 'The checklist');
  return row;
}

export async function createTemplate(
  ctx: AppContext,
  actor: Actor,
  input: z.infer<typeof TemplateRequest>,
): Promise<string> {
  assertStaffWrite(actor);
  const site = input.siteId ? await visibleSite(ctx.db.kysely, actor, input.siteId) : null;
  const id = newId();
  await change(ctx, actor, async (tx) => {
    const bodyJson = JSON.stringify(input.body);
    await tx.db
      .insertInto('checklist_templates')
      .values({
        id,
        client_id: site?.client_id ?? null,
        site_id: site?.id ?? null,
        name: input.name,
        description: input.description,
        version: 1,
        body_json: bodyJson,
        archived_at: null,
        created_by: actor.userId,
        created_at: tx.now,
        updated_at: tx.now,
      })
      .execute();
    await tx.db
      .insertInto('checklist_template_versions')
      .values({
        template_id: id,
        version: 1,
        name: input.name,
        body_json: bodyJson,
        created_by: actor.userId,
        created_at: tx.now,
      })
      .execute();
    await tx.audit({
      action: 'checklist.create',
      entityType: 'checklist_template',
      entityId: id,
      clientId: site?.client_id ?? null,
      summary: `Checklist "${input.name}" created${site ? ` for ${site.name}` : ''}`,
    });
    tx.emit({ entity: 'checklist_template', id, action: 'created', clientId: site?.client_id ?? null });
  });
  return id;
}

/** Renames or rewrites a template; a changed body is a new version (runs keep the one they started with). */
export async function updateTemplate(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof TemplateUpdate>,
): Promise<void> {
  assertStaffWrite(actor);
  const row = await visibleTemplate(ctx.db.kysely, actor, id);
  await change(ctx, actor, async (tx) => {
    const bodyJson = input.body ? JSON.stringify(input.body) : row.body_json;
    const newVersion = bodyJson !== row.body_json;
    const version = newVersion ? row.version + 1 : row.version;
    const name = input.name ?? row.name;
    const updated = await tx.db
      .updateTable('checklist_templates')
      .set({
        name,
        description: input.description ?? row.description,
        body_json: bodyJson,
        version,
        updated_at: tx.now,
      })
      .where('id', '=', id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw notFound('The checklist (changed meanwhile; reload)');
    if (newVersion)
      await tx.db
        .insertInto('checklist_template_versions')
        .values({ template_id: id, version, name, body_json: bodyJson, created_by: actor.userId, created_at: tx.now })
        .execute();
    await tx.audit({
      action: 'checklist.update',
      entityType: 'checklist_template',
      entityId: id,
      clientId: row.client_id,
      summary: `Checklist "${name}" changed${newVersion ? ` (version ${version})` : ''}`,
    });
    tx.emit({ entity: 'checklist_template', id, action: 'updated', clientId: row.client_id });
  });
}

export async function archiveTemplate(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertStaffWrite(actor);
  const row = await visibleTemplate(ctx.db.kysely, actor, id);
  await change(ctx, actor, async (tx) => {
    await tx.db
      .updateTable('checklist_templates')
      .set({ archived_at: tx.now, updated_at: tx.now })
      .where('id', '=', id)
      .execute();
    await tx.db
      .updateTable('checklist_schedules')
      .set({ enabled: 0, next_run_at: null, updated_at: tx.now })
      .where('template_id', '=', id)
      .execute();
    await tx.audit({
      action: 'checklist.archive',
      entityType: 'checklist_template',
      entityId: id,
      clientId: row.client_id,
      summary: `Checklist "${row.name}" archived (its schedules stopped)`,
    });
    tx.emit({ entity: 'checklist_template', id, action: 'deleted', clientId: row.client_id });
  });
}

export function bodyOf(row: { body_json: string }): TemplateBody {
  return JSON.parse(row.body_json) as TemplateBody;
}

const steps = (body: TemplateBody) => body.sections.flatMap((s) => s.steps);

function present(row: ChecklistTemplatesTable & { site_name: string | null }): Summary {
  const all = steps(bodyOf(row));
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    siteId: row.site_id,
    siteName: row.site_name,
    clientId: row.client_id,
    version: row.version,
    steps: all.length,
    automaticSteps: all.filter((s) => s.kind !== 'manual').length,
    updatedAt: row.updated_at,
  };
}

const withSiteName = (db: Kdb) =>
  db
    .selectFrom('checklist_templates')
    .leftJoin('sites', 'sites.id', 'checklist_templates.site_id')
    .selectAll('checklist_templates')
    .select('sites.name as site_name');

/** Templates that are not archived; with a site, those that apply there (global ones and its own). */
export async function listTemplates(ctx: AppContext, actor: Actor, siteId?: string): Promise<Summary[]> {
  let q = withSiteName(ctx.db.kysely).where('checklist_templates.archived_at', 'is', null);
  if (siteId) {
    await visibleSite(ctx.db.kysely, actor, siteId);
    q = q.where((eb) =>
      eb.or([eb('checklist_templates.site_id', 'is', null), eb('checklist_templates.site_id', '=', siteId)]),
    );
  }
  if (actor.role === 'client') q = q.where('checklist_templates.client_id', '=', actor.clientId ?? '');
  const rows = await q.orderBy('checklist_templates.site_id').orderBy('checklist_templates.name').execute();
  return rows.map(present);
}

export async function getTemplate(ctx: AppContext, actor: Actor, id: string): Promise<z.infer<typeof Template>> {
  await visibleTemplate(ctx.db.kysely, actor, id);
  const row = await withSiteName(ctx.db.kysely).where('checklist_templates.id', '=', id).executeTakeFirstOrThrow();
  return { ...present(row), body: bodyOf(row) };
}
