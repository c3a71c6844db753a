import type { Kdb } from '../../db/database.js';

/**
 * Counts of what is live (not archived) under clients and sites. A system counts when it and its
 * site are live, so a client's count is the sum of its sites' counts. One grouped query each.
 */
export async function liveCountsByClient(
  db: Kdb,
  clientIds: string[],
): Promise<Map<string, { sites: number; systems: number }>> {
  const counts = new Map(clientIds.map((id) => [id, { sites: 0, systems: 0 }]));
  if (clientIds.length === 0) return counts;
  const sites = await db
    .selectFrom('sites')
    .select((eb) => ['client_id', eb.fn.countAll<number>().as('n')])
    .where('client_id', 'in', clientIds)
    .where('archived_at', 'is', null)
    .groupBy('client_id')
    .execute();
  const systems = await db
    .selectFrom('systems')
    .innerJoin('sites', 'sites.id', 'systems.site_id')
    .select((eb) => ['systems.client_id', eb.fn.countAll<number>().as('n')])
    .where('systems.client_id', 'in', clientIds)
    .where('systems.archived_at', 'is', null)
    .where('sites.archived_at', 'is', null)
    .groupBy('systems.client_id')
    .execute();
  for (const row of sites) counts.get(row.client_id)!.sites = Number(row.n);
  for (const row of systems) counts.get(row.client_id)!.systems = Number(row.n);
  return counts;
}

export async function liveSystemCountsBySite(db: Kdb, siteIds: string[]): Promise<Map<string, number>> {
  const counts = new Map(siteIds.map((id) => [id, 0]));
  if (siteIds.length === 0) return counts;
  const rows = await db
    .selectFrom('systems')
    .select((eb) => ['site_id', eb.fn.countAll<number>().as('n')])
    .where('site_id', 'in', siteIds)
    .where('archived_at', 'is', null)
    .groupBy('site_id')
    .execute();
  for (const row of rows) counts.set(row.site_id, Number(row.n));
  return counts;
}
