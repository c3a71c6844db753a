import type { Contact, CreateContactRequest, UpdateContactRequest } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { ContactsTable } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { visibleClient, visibleContact } from './access.js';
import { auditableContact, presentContact } from './contact-presenter.js';
import { assertReachable } from './contact-rules.js';

type CreateInput = z.infer<typeof CreateContactRequest>;
type UpdateInput = z.infer<typeof UpdateContactRequest>;

export async function createContact(
  ctx: AppContext,
  actor: Actor,
  clientId: string,
  input: CreateInput,
): Promise<Contact> {
  assertStaffWrite(actor);
  assertReachable(input);
  return change(ctx, actor, async (tx) => {
    const client = await visibleClient(tx.db, actor, clientId);
    const row: ContactsTable = {
      id: newId(),
      client_id: client.id,
      name: input.name,
      role: input.role,
      email: input.email,
      phone: input.phone || null,
      preferred_channel: input.preferredChannel,
      receives_incident_updates: input.receivesIncidentUpdates ? 1 : 0,
      created_at: tx.now,
      updated_at: tx.now,
    };
    await tx.db.insertInto('contacts').values(row).execute();
    await tx.audit({
      action: 'contact.create',
      entityType: 'contact',
      entityId: row.id,
      clientId: client.id,
      summary: `Contact "${row.name}" added to "${client.name}"`,
      after: auditableContact(row),
    });
    tx.emit({ entity: 'contact', id: row.id, action: 'created', clientId: client.id });
    return presentContact(row);
  });
}

export async function updateContact(ctx: AppContext, actor: Actor, id: string, input: UpdateInput): Promise<Contact> {
  assertStaffWrite(actor);
  return change(ctx, actor, async (tx) => {
    const before = await visibleContact(tx.db, actor, id);
    const after: ContactsTable = {
      ...before,
      name: input.name ?? before.name,
      role: input.role ?? before.role,
      email: input.email === undefined ? before.email : input.email,
      phone: input.phone === undefined ? before.phone : input.phone || null,
      preferred_channel: input.preferredChannel ?? before.preferred_channel,
      receives_incident_updates:
        input.receivesIncidentUpdates === undefined
          ? before.receives_incident_updates
          : input.receivesIncidentUpdates
            ? 1
            : 0,
      updated_at: tx.now,
    };
    assertReachable({ preferredChannel: after.preferred_channel, email: after.email, phone: after.phone });
    if (JSON.stringify(auditableContact(before)) === JSON.stringify(auditableContact(after)))
      return presentContact(before);
    await tx.db.updateTable('contacts').set(after).where('id', '=', id).execute();
    await tx.audit({
      action: 'contact.update',
      entityType: 'contact',
      entityId: id,
      clientId: after.client_id,
      summary: `Contact "${after.name}" updated`,
      before: auditableContact(before),
      after: auditableContact(after),
    });
    tx.emit({ entity: 'contact', id, action: 'updated', clientId: after.client_id });
    return presentContact(after);
  });
}

export async function deleteContact(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const before = await visibleContact(tx.db, actor, id);
    await tx.db.deleteFrom('contacts').where('id', '=', id).execute();
    await tx.audit({
      action: 'contact.delete',
      entityType: 'contact',
      entityId: id,
      clientId: before.client_id,
      summary: `Contact "${before.name}" deleted`,
      before: auditableContact(before),
    });
    tx.emit({ entity: 'contact', id, action: 'deleted', clientId: before.client_id });
  });
}
