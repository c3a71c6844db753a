import type { Client, CreateClientRequest, UpdateClientRequest } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { ClientsTable } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { visibleClient } from './access.js';
import { getClient } from './client-queries.js';
import { auditableClient } from './client-presenter.js';
import { archivedAtAfter } from './listing.js';

type CreateInput = z.infer<typeof CreateClientRequest>;
type UpdateInput = z.infer<typeof UpdateClientRequest>;

export async function createClient(ctx: AppContext, actor: Actor, input: CreateInput): Promise<Client> {
  assertStaffWrite(actor);
  const id = newId();
  await change(ctx, actor, async (tx) => {
    const row: ClientsTable = {
      id,
      name: input.name,
      name_lower: input.name.toLowerCase(),
      notes: input.notes,
      contract_json: JSON.stringify(input.contract),
      archived_at: null,
      created_at: tx.now,
      updated_at: tx.now,
    };
    await tx.db.insertInto('clients').values(row).execute();
    await tx.audit({
      action: 'client.create',
      entityType: 'client',
      entityId: id,
      clientId: id,
      summary: `Client "${row.name}" created`,
      after: auditableClient(row),
    });
    tx.emit({ entity: 'client', id, action: 'created', clientId: id });
  });
  return getClient(ctx.db.kysely, actor, id);
}

export async function updateClient(ctx: AppContext, actor: Actor, id: string, input: UpdateInput): Promise<Client> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const before = await visibleClient(tx.db, actor, id);
    const name = input.name ?? before.name;
    const after: ClientsTable = {
      ...before,
      name,
      name_lower: name.toLowerCase(),
      notes: input.notes ?? before.notes,
      contract_json: input.contract ? JSON.stringify(input.contract) : before.contract_json,
      archived_at: archivedAtAfter(input.archived, before.archived_at, tx.now),
      updated_at: tx.now,
    };
    if (JSON.stringify(auditableClient(before)) === JSON.stringify(auditableClient(after))) return;
    await tx.db.updateTable('clients').set(after).where('id', '=', id).execute();
    const verb = before.archived_at === after.archived_at ? 'update' : after.archived_at ? 'archive' : 'restore';
    await tx.audit({
      action: `client.${verb}`,
      entityType: 'client',
      entityId: id,
      clientId: id,
      summary: `Client "${after.name}" ${verb === 'update' ? 'updated' : `${verb}d`}`,
      before: auditableClient(before),
      after: auditableClient(after),
    });
    tx.emit({ entity: 'client', id, action: 'updated', clientId: id });
  });
  return getClient(ctx.db.kysely, actor, id);
}

/** Delete a client and, through the foreign keys, its contacts, sites, systems, client accounts and client tokens. */
export async function deleteClient(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const before = await visibleClient(tx.db, actor, id);
    const removed = await countUnder(tx.db, id);
    await tx.db.deleteFrom('clients').where('id', '=', id).execute();
    await tx.audit({
      action: 'client.delete',
      entityType: 'client',
      entityId: id,
      clientId: id,
      summary: `Client "${before.name}" deleted with ${removed.sites} site(s), ${removed.systems} system(s), ${removed.contacts} contact(s), ${removed.users} client account(s) and ${removed.api_tokens} API token(s)`,
      before: { ...auditableClient(before), removed },
    });
    tx.emit({ entity: 'client', id, action: 'deleted', clientId: id });
  });
}

async function countUnder(db: AppContext['db']['kysely'], clientId: string) {
  const count = async (table: 'sites' | 'systems' | 'contacts' | 'users' | 'api_tokens') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('client_id', '=', clientId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    sites: await count('sites'),
    systems: await count('systems'),
    contacts: await count('contacts'),
    users: await count('users'),
    api_tokens: await count('api_tokens'),
  };
}
