import type { Site } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../auth/actor.js';
import { clientScope } from '../auth/policy.js';
import { visibleSite } from './access.js';
import { liveSystemCountsBySite } from './counts.js';
import { afterCursor, decodeCursor } from './cursor.js';
import { archivedCondition, pageOf, type ArchivedFilter, type Page } from './listing.js';
import { contains } from './search.js';
import { presentSite, type SiteWithClient } from './site-presenter.js';

export interface SiteListOptions {
  clientId?: string | undefined;
  q?: string | undefined;
  archived: ArchivedFilter;
  limit: number;
  cursor?: string | undefined;
}

const withClientName = (db: Kdb) => db.selectFrom('sites').innerJoin('clients', 'clients.id', 'sites.client_id');

export async function listSites(db: Kdb, actor: Actor, options: SiteListOptions): Promise<Page<Site>> {
  const cursor = options.cursor ? decodeCursor(options.cursor) : undefined;
  const scope = clientScope(actor);
  let base = withClientName(db).where(archivedCondition('sites.archived_at', options.archived));
  if (scope) base = base.where('sites.client_id', '=', scope);
  if (options.clientId) base = base.where('sites.client_id', '=', options.clientId);
  if (options.q) base = base.where(contains('sites.name_lower', options.q));

  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let rows = base.selectAll('sites').select('clients.name as client_name');
  if (cursor) rows = rows.where(afterCursor('sites.name_lower', 'sites.id', cursor));
  const found = await rows
    .orderBy('sites.name_lower')
    .orderBy('sites.id')
    .limit(options.limit + 1)
    .execute();

  const page = pageOf(found, options.limit, Number(total.n));
  return { ...page, items: await presentSites(db, page.items) };
}

export async function getSite(db: Kdb, actor: Actor, id: string): Promise<Site> {
  await visibleSite(db, actor, id);
  const row = await withClientName(db)
    .selectAll('sites')
    .select('clients.name as client_name')
    .where('sites.id', '=', id)
    .executeTakeFirstOrThrow();
  return (await presentSites(db, [row]))[0]!;
}

async function presentSites(db: Kdb, rows: SiteWithClient[]): Promise<Site[]> {
  const counts = await liveSystemCountsBySite(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => presentSite(row, counts.get(row.id) ?? 0));
}
