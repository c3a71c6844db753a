import type { TaskTemplate } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';

/** The firm's own task templates ("remote check of every system", "be on site at opening"). */
export async function listTemplates(ctx: AppContext, actor: Actor): Promise<{ items: TaskTemplate[] }> {
  assertStaffWrite(actor);
  const rows = await ctx.db.kysely
    .selectFrom('task_templates')
    .select(['id', 'title', 'notes'])
    .orderBy('title')
    .execute();
  return { items: rows };
}

export async function createTemplate(
  ctx: AppContext,
  actor: Actor,
  input: { title: string; notes: string },
): Promise<TaskTemplate> {
  assertStaffWrite(actor);
  const id = newId();
  await change(ctx, actor, async (tx) => {
    await tx.db
      .insertInto('task_templates')
      .values({ id, title: input.title, notes: input.notes, created_at: tx.now, updated_at: tx.now })
      .execute();
    await tx.audit({
      action: 'task_template.create',
      entityType: 'task_template',
      entityId: id,
      clientId: null,
      summary: `Task template "${input.title}" added`,
    });
  });
  return { id, ...input };
}

export async function updateTemplate(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { title?: string | undefined; notes?: string | undefined },
): Promise<TaskTemplate> {
  assertStaffWrite(actor);
  return change(ctx, actor, async (tx) => {
    const before = await tx.db.selectFrom('task_templates').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('The task template');
    const after = { title: input.title ?? before.title, notes: input.notes ?? before.notes };
    await tx.db
      .updateTable('task_templates')
      .set({ ...after, updated_at: tx.now })
      .where('id', '=', id)
      .execute();
    await tx.audit({
      action: 'task_template.update',
      entityType: 'task_template',
      entityId: id,
      clientId: null,
      summary: `Task template "${after.title}" changed`,
    });
    return { id, ...after };
  });
}

export async function deleteTemplate(ctx: AppContext, actor: Actor, id: string): Promise<{ ok: true }> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const before = await tx.db.selectFrom('task_templates').select('title').where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('The task template');
    await tx.db.deleteFrom('task_templates').where('id', '=', id).execute();
    await tx.audit({
      action: 'task_template.delete',
      entityType: 'task_template',
      entityId: id,
      clientId: null,
      summary: `Task template "${before.title}" deleted`,
    });
  });
  return { ok: true };
}
