import type { StateCounts } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../auth/actor.js';
import { clientScope } from '../auth/policy.js';

/**
 * What both shapes of the Now status share: the clients and sites the actor may see (filtered by
 * client, site and name), each site's agent, counts by state, and problems-first ordering.
 */

export interface StatusOptions {
  clientId?: string | undefined;
  siteId?: string | undefined;
  problemsOnly?: boolean;
  q?: string | undefined;
}

/** The filters every status query applies: the client (a client account's own, always) and the site. */
export interface StatusFilter {
  clientId: string | undefined;
  siteId: string | undefined;
}

export interface SiteHead {
  id: string;
  name: string;
  timeZone: string;
  reachable: boolean;
  unreachableSince: string | null;
  agentName: string | null;
}

export interface Frame {
  filter: StatusFilter;
  clients: Array<{ id: string; name: string }>;
  sites: Array<{ head: SiteHead; clientId: string }>;
}

type Counted = { name: string; counts: StateCounts };

export const emptyCounts = (): StateCounts => ({ up: 0, degraded: 0, down: 0, unknown: 0, paused: 0 });

export function addCounts(into: StateCounts, from: StateCounts): void {
  for (const key of Object.keys(into) as Array<keyof StateCounts>) into[key] += from[key];
}

/** Problems first: more down, then more degraded, then more unknown; then by name. */
export function byProblems(a: Counted, b: Counted): number {
  return (
    b.counts.down - a.counts.down ||
    b.counts.degraded - a.counts.degraded ||
    b.counts.unknown - a.counts.unknown ||
    a.name.localeCompare(b.name)
  );
}

/** Clients, sites and their agents: three queries. */
export async function loadFrame(db: Kdb, actor: Actor, options: StatusOptions): Promise<Frame> {
  const filter: StatusFilter = { clientId: clientScope(actor, options.clientId), siteId: options.siteId };
  let clientsQ = db.selectFrom('clients').select(['id', 'name']).where('archived_at', 'is', null);
  let sitesQ = db.selectFrom('sites').select(['id', 'client_id', 'name', 'time_zone']).where('archived_at', 'is', null);
  let agentsQ = db
    .selectFrom('agents')
    .select(['site_id', 'name', 'status', 'status_since'])
    .where('revoked_at', 'is', null)
    .where('status', '!=', 'revoked');
  if (filter.clientId) {
    clientsQ = clientsQ.where('id', '=', filter.clientId);
    sitesQ = sitesQ.where('client_id', '=', filter.clientId);
    agentsQ = agentsQ.where('client_id', '=', filter.clientId);
  }
  if (filter.siteId) {
    const siteId = filter.siteId;
    clientsQ = clientsQ.where('id', 'in', (eb) => eb.selectFrom('sites').select('client_id').where('id', '=', siteId));
    sitesQ = sitesQ.where('id', '=', siteId);
    agentsQ = agentsQ.where('site_id', '=', siteId);
  }
  if (options.q) clientsQ = clientsQ.where('name_lower', 'like', `%${options.q.toLowerCase().replace(/[%_\\]/g, '')}%`);
  const [clients, sites, agents] = await Promise.all([
    clientsQ.execute(),
    sitesQ.execute(),
    agentsQ.orderBy('name').execute(),
  ]);

  // The unreachable agent names the site; otherwise its first agent by name.
  const agentOf = new Map<string, (typeof agents)[number]>();
  for (const a of agents) {
    const seen = agentOf.get(a.site_id);
    if (!seen || (a.status === 'unreachable' && seen.status !== 'unreachable')) agentOf.set(a.site_id, a);
  }
  return {
    filter,
    clients,
    sites: sites.map((s) => {
      const agent = agentOf.get(s.id);
      const silent = agent?.status === 'unreachable';
      return {
        clientId: s.client_id,
        head: {
          id: s.id,
          name: s.name,
          timeZone: s.time_zone,
          reachable: !silent,
          unreachableSince: silent ? agent.status_since : null,
          agentName: agent?.name ?? null,
        },
      };
    }),
  };
}

/**
 * Puts sites under their clients, sums the counts, and orders both problems first. `siteOf` builds
 * a site's body (with its counts) from its head.
 */
export function assemble<S extends SiteHead & { counts: StateCounts }>(
  frame: Frame,
  siteOf: (head: SiteHead) => S,
  at: string,
  problemsOnly = false,
) {
  const sitesByClient = new Map<string, S[]>();
  for (const { head, clientId } of frame.sites) {
    const list = sitesByClient.get(clientId) ?? [];
    list.push(siteOf(head));
    sitesByClient.set(clientId, list);
  }
  const total = emptyCounts();
  let clients = frame.clients.map((client) => {
    const sites = (sitesByClient.get(client.id) ?? []).sort(byProblems);
    const counts = emptyCounts();
    for (const s of sites) addCounts(counts, s.counts);
    addCounts(total, counts);
    return { id: client.id, name: client.name, counts, sites };
  });
  if (problemsOnly)
    clients = clients.filter(
      (c) => c.counts.down + c.counts.degraded + c.counts.unknown > 0 || c.sites.some((s) => !s.reachable),
    );
  return { at, counts: total, clients: clients.sort(byProblems) };
}
