import type { Client } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../auth/actor.js';
import { clientScope } from '../auth/policy.js';
import { visibleClient } from './access.js';
import { presentClient } from './client-presenter.js';
import { liveCountsByClient } from './counts.js';
import { afterCursor, decodeCursor } from './cursor.js';
import { archivedCondition, pageOf, type ArchivedFilter, type Page } from './listing.js';
import { contains } from './search.js';

export interface ClientListOptions {
  q?: string | undefined;
  archived: ArchivedFilter;
  limit: number;
  cursor?: string | undefined;
}

export async function listClients(db: Kdb, actor: Actor, options: ClientListOptions): Promise<Page<Client>> {
  const cursor = options.cursor ? decodeCursor(options.cursor) : undefined;
  const scope = clientScope(actor);
  let base = db.selectFrom('clients').where(archivedCondition('clients.archived_at', options.archived));
  if (scope) base = base.where('clients.id', '=', scope);
  if (options.q) base = base.where(contains('clients.name_lower', options.q));

  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let rows = base.selectAll('clients');
  if (cursor) rows = rows.where(afterCursor('clients.name_lower', 'clients.id', cursor));
  const found = await rows
    .orderBy('clients.name_lower')
    .orderBy('clients.id')
    .limit(options.limit + 1)
    .execute();

  const page = pageOf(found, options.limit, Number(total.n));
  const counts = await liveCountsByClient(
    db,
    page.items.map((row) => row.id),
  );
  return { ...page, items: page.items.map((row) => presentClient(row, counts.get(row.id)!)) };
}

export async function getClient(db: Kdb, actor: Actor, id: string): Promise<Client> {
  const row = await visibleClient(db, actor, id);
  const counts = await liveCountsByClient(db, [row.id]);
  return presentClient(row, counts.get(row.id)!);
}
