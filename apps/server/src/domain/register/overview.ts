import type { Overview } from '@afterhours/shared';
import type { z } from 'zod';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../auth/actor.js';
import { clientScope } from '../auth/policy.js';
import { parseContract } from './client-presenter.js';

type OverviewClient = z.infer<typeof Overview>['clients'][number];

/**
 * Every live client with its live sites and their live system counts, for the Now screen.
 * Three queries whatever the number of clients: clients, sites, and system counts grouped by site.
 */
export async function loadOverview(db: Kdb, actor: Actor): Promise<z.infer<typeof Overview>> {
  const scope = clientScope(actor);
  let clientQuery = db.selectFrom('clients').select(['id', 'name', 'contract_json']).where('archived_at', 'is', null);
  if (scope) clientQuery = clientQuery.where('id', '=', scope);
  let siteQuery = db
    .selectFrom('sites')
    .innerJoin('clients', 'clients.id', 'sites.client_id')
    .select(['sites.id', 'sites.client_id', 'sites.name', 'sites.time_zone'])
    .where('sites.archived_at', 'is', null)
    .where('clients.archived_at', 'is', null);
  if (scope) siteQuery = siteQuery.where('sites.client_id', '=', scope);
  let countQuery = db
    .selectFrom('systems')
    .innerJoin('sites', 'sites.id', 'systems.site_id')
    .select((eb) => ['systems.site_id', eb.fn.countAll<number>().as('n')])
    .where('systems.archived_at', 'is', null)
    .where('sites.archived_at', 'is', null)
    .groupBy('systems.site_id');
  if (scope) countQuery = countQuery.where('systems.client_id', '=', scope);

  const clients = await clientQuery.orderBy('name_lower').orderBy('id').execute();
  const sites = await siteQuery.orderBy('sites.name_lower').orderBy('sites.id').execute();
  const counts = new Map((await countQuery.execute()).map((row) => [row.site_id, Number(row.n)]));

  const byClient = new Map<string, OverviewClient>(
    clients.map((c) => [
      c.id,
      { id: c.id, name: c.name, contract: parseContract(c.contract_json), sites: [], systemCount: 0 },
    ]),
  );
  const totals = { clients: clients.length, sites: 0, systems: 0 };
  for (const site of sites) {
    const client = byClient.get(site.client_id);
    if (!client) continue;
    const systemCount = counts.get(site.id) ?? 0;
    client.sites.push({ id: site.id, name: site.name, timeZone: site.time_zone, systemCount });
    client.systemCount += systemCount;
    totals.sites += 1;
    totals.systems += systemCount;
  }
  return { clients: [...byClient.values()], totals };
}
