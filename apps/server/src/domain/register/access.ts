import type { Kdb } from '../../db/database.js';
import type { ClientsTable, SitesTable, SystemsTable } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertCanSeeClient } from '../auth/policy.js';

/**
 * Load one register row the actor may see, or answer 404: rows of another firm are "not found"
 * to a client account, so their ids do not leak.
 */
export async function visibleClient(db: Kdb, actor: Actor, id: string): Promise<ClientsTable> {
  const row = await db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The client');
  assertCanSeeClient(actor, row.id, 'The client');
  return row;
}

export async function visibleSite(db: Kdb, actor: Actor, id: string): Promise<SitesTable> {
  const row = await db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The site');
  assertCanSeeClient(actor, row.client_id, 'The site');
  return row;
}

export async function visibleSystem(db: Kdb, actor: Actor, id: string): Promise<SystemsTable> {
  const row = await db.selectFrom('systems').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The system');
  assertCanSeeClient(actor, row.client_id, 'The system');
  return row;
}

export async function visibleContact(db: Kdb, actor: Actor, id: string) {
  const row = await db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The contact');
  assertCanSeeClient(actor, row.client_id, 'The contact');
  return row;
}
