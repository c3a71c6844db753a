import type {
  CreateMessageTemplateRequest,
  MessageTemplate,
  MessageTemplateKind,
  UpdateMessageTemplateRequest,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { MessageTemplatesTable } from '../../db/schema.js';
import { forbidden, notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { change } from '../change.js';
import { isStaff } from '@afterhours/shared';
import { assertKnownPlaceholders } from './placeholders.js';

export function presentTemplate(row: MessageTemplatesTable): MessageTemplate {
  return {
    id: row.id,
    kind: row.kind as MessageTemplateKind,
    name: row.name,
    subject: row.subject,
    body: row.body,
    updatedAt: row.updated_at,
  };
}

/** The firm's templates, in the order they were made; staff only (they are the firm's own wording). */
export async function listTemplates(db: Kdb, actor: Actor, kind?: MessageTemplateKind): Promise<MessageTemplate[]> {
  if (!isStaff(actor.role)) throw forbidden('Message templates are for the firm’s staff');
  let query = db.selectFrom('message_templates').selectAll().orderBy('kind').orderBy('position').orderBy('id');
  if (kind) query = query.where('kind', '=', kind);
  return (await query.execute()).map(presentTemplate);
}

export async function findTemplate(db: Kdb, id: string): Promise<MessageTemplatesTable> {
  const row = await db.selectFrom('message_templates').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The message template');
  return row;
}

function assertTemplateEditor(actor: Actor): void {
  if (actor.role !== 'owner' && actor.role !== 'admin')
    throw forbidden('Only an owner or admin can change the firm’s message templates');
}

export async function createTemplate(
  ctx: AppContext,
  actor: Actor,
  input: CreateMessageTemplateRequest,
): Promise<MessageTemplate> {
  assertTemplateEditor(actor);
  assertKnownPlaceholders(input.kind, input);
  return change(ctx, actor, async (tx) => {
    const last = await tx.db
      .selectFrom('message_templates')
      .select((eb) => eb.fn.max('position').as('position'))
      .where('kind', '=', input.kind)
      .executeTakeFirst();
    const row: MessageTemplatesTable = {
      id: newId(),
      kind: input.kind,
      name: input.name,
      subject: input.subject,
      body: input.body,
      position: Number(last?.position ?? -1) + 1,
      created_at: tx.now,
      updated_at: tx.now,
    };
    await tx.db.insertInto('message_templates').values(row).execute();
    await tx.audit({
      action: 'message_template.create',
      entityType: 'message_template',
      entityId: row.id,
      clientId: null,
      summary: `Message template "${row.name}" added`,
      after: { kind: row.kind, name: row.name, subject: row.subject, body: row.body },
    });
    tx.emit({ entity: 'message_template', id: row.id, action: 'created', clientId: null });
    return presentTemplate(row);
  });
}

export async function updateTemplate(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdateMessageTemplateRequest,
): Promise<MessageTemplate> {
  assertTemplateEditor(actor);
  return change(ctx, actor, async (tx) => {
    const before = await findTemplate(tx.db, id);
    assertKnownPlaceholders(before.kind as MessageTemplateKind, input);
    const after: MessageTemplatesTable = {
      ...before,
      name: input.name ?? before.name,
      subject: input.subject ?? before.subject,
      body: input.body ?? before.body,
      updated_at: tx.now,
    };
    await tx.db
      .updateTable('message_templates')
      .set({ name: after.name, subject: after.subject, body: after.body, updated_at: tx.now })
      .where('id', '=', id)
      .execute();
    await tx.audit({
      action: 'message_template.update',
      entityType: 'message_template',
      entityId: id,
      clientId: null,
      summary: `Message template "${after.name}" changed`,
      before: { name: before.name, subject: before.subject, body: before.body },
      after: { name: after.name, subject: after.subject, body: after.body },
    });
    tx.emit({ entity: 'message_template', id, action: 'updated', clientId: null });
    return presentTemplate(after);
  });
}

export async function deleteTemplate(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertTemplateEditor(actor);
  await change(ctx, actor, async (tx) => {
    const before = await findTemplate(tx.db, id);
    await tx.db.deleteFrom('message_templates').where('id', '=', id).execute();
    await tx.audit({
      action: 'message_template.delete',
      entityType: 'message_template',
      entityId: id,
      clientId: null,
      summary: `Message template "${before.name}" deleted`,
      before: { kind: before.kind, name: before.name, subject: before.subject, body: before.body },
    });
    tx.emit({ entity: 'message_template', id, action: 'deleted', clientId: null });
  });
}
