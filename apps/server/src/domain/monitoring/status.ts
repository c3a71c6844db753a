import type { SiteStatus, StateCounts } from '@afterhours/shared';
import type { z } from 'zod';
import type { StatusCheck } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../auth/actor.js';
import { clientScope } from '../auth/policy.js';

type Check = z.infer<typeof StatusCheck>;
type Counted = { name: string; counts: StateCounts };

export const emptyCounts = (): StateCounts => ({ up: 0, degraded: 0, down: 0, unknown: 0, paused: 0 });

function addCounts(into: StateCounts, from: StateCounts): void {
  for (const key of Object.keys(into) as Array<keyof StateCounts>) into[key] += from[key];
}

/** Problems first: more down, then more degraded, then more unknown; then by name. */
export function byProblems(a: Counted, b: Counted): number {
  return b.counts.down - a.counts.down || b.counts.degraded - a.counts.degraded || b.counts.unknown - a.counts.unknown || a.name.localeCompare(b.name);
}

const parseLatencies = (raw: string): Array<number | null> => {
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? (v as Array<number | null>) : [];
  } catch {
    return [];
  }
};

export interface StatusOptions {
  clientId?: string | undefined;
  problemsOnly?: boolean;
  q?: string | undefined;
}

/**
 * The Now screen: every client and site with counts of checks by state, problems first; each site's
 * systems with their checks, last result and recent latencies. Four plain queries, grouped in memory.
 */
export async function siteStatus(db: Kdb, actor: Actor, now: string, options: StatusOptions = {}): Promise<SiteStatus> {
  const scope = clientScope(actor, options.clientId);
  let clientsQ = db.selectFrom('clients').select(['id', 'name', 'name_lower']).where('archived_at', 'is', null);
  let sitesQ = db.selectFrom('sites').select(['id', 'client_id', 'name', 'time_zone']).where('archived_at', 'is', null);
  let systemsQ = db.selectFrom('systems').select(['id', 'site_id', 'name', 'kind']).where('archived_at', 'is', null);
  let checksQ = db
    .selectFrom('checks')
    .select(['id', 'system_id', 'name', 'kind', 'probe', 'state', 'state_since', 'state_reason', 'last_run_at', 'last_status', 'last_latency_ms', 'last_message', 'recent_latencies']);
  let agentsQ = db.selectFrom('agents').select(['site_id']).where('status', '=', 'unreachable').where('revoked_at', 'is', null);
  if (scope) {
    clientsQ = clientsQ.where('id', '=', scope);
    sitesQ = sitesQ.where('client_id', '=', scope);
    systemsQ = systemsQ.where('client_id', '=', scope);
    checksQ = checksQ.where('client_id', '=', scope);
    agentsQ = agentsQ.where('client_id', '=', scope);
  }
  if (options.q) clientsQ = clientsQ.where('name_lower', 'like', `%${options.q.toLowerCase().replace(/[%_\\]/g, '')}%`);
  const [clients, sites, systems, checks, unreachable] = await Promise.all([
    clientsQ.execute(),
    sitesQ.execute(),
    systemsQ.execute(),
    checksQ.orderBy('name').execute(),
    agentsQ.execute(),
  ]);

  const checksBySystem = new Map<string, Check[]>();
  for (const c of checks) {
    const list = checksBySystem.get(c.system_id) ?? [];
    list.push({
      id: c.id,
      name: c.name,
      kind: c.kind as Check['kind'],
      probe: c.probe as Check['probe'],
      state: c.state as Check['state'],
      stateSince: c.state_since,
      stateReason: c.state_reason,
      lastResult: c.last_run_at && c.last_status ? { at: c.last_run_at, status: c.last_status as 'up', latencyMs: c.last_latency_ms, message: c.last_message ?? '' } : null,
      latencies: parseLatencies(c.recent_latencies),
    });
    checksBySystem.set(c.system_id, list);
  }
  const down = new Set(unreachable.map((a) => a.site_id));
  const systemsBySite = new Map<string, SiteStatus['clients'][number]['sites'][number]['systems']>();
  for (const s of systems) {
    const list = checksBySystem.get(s.id) ?? [];
    const counts = emptyCounts();
    for (const c of list) counts[c.state]++;
    const bySite = systemsBySite.get(s.site_id) ?? [];
    bySite.push({ id: s.id, name: s.name, kind: s.kind, counts, checks: list });
    systemsBySite.set(s.site_id, bySite);
  }
  const sitesByClient = new Map<string, SiteStatus['clients'][number]['sites']>();
  for (const site of sites) {
    const systemList = (systemsBySite.get(site.id) ?? []).sort(byProblems);
    const counts = emptyCounts();
    for (const s of systemList) addCounts(counts, s.counts);
    const list = sitesByClient.get(site.client_id) ?? [];
    list.push({ id: site.id, name: site.name, timeZone: site.time_zone, reachable: !down.has(site.id), counts, systems: systemList });
    sitesByClient.set(site.client_id, list);
  }
  const total = emptyCounts();
  let result = clients.map((client) => {
    const siteList = (sitesByClient.get(client.id) ?? []).sort(byProblems);
    const counts = emptyCounts();
    for (const s of siteList) addCounts(counts, s.counts);
    addCounts(total, counts);
    return { id: client.id, name: client.name, counts, sites: siteList };
  });
  if (options.problemsOnly) result = result.filter((c) => c.counts.down + c.counts.degraded + c.counts.unknown > 0 || c.sites.some((s) => !s.reachable));
  return { at: now, counts: total, clients: result.sort(byProblems) };
}
