import type { Contact } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../auth/actor.js';
import { visibleClient, visibleContact } from './access.js';
import type { Page } from './listing.js';
import { presentContact } from './contact-presenter.js';

/** All of a client's contacts by name: a firm has a handful, so there is one page. */
export async function listContacts(db: Kdb, actor: Actor, clientId: string): Promise<Page<Contact>> {
  await visibleClient(db, actor, clientId);
  const rows = await db
    .selectFrom('contacts')
    .selectAll()
    .where('client_id', '=', clientId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return { items: rows.map(presentContact), nextCursor: null, total: rows.length };
}

export async function getContact(db: Kdb, actor: Actor, id: string): Promise<Contact> {
  return presentContact(await visibleContact(db, actor, id));
}
