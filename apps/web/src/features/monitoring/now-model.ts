import type { Agent, SiteStatus, StatusCheck, StatusClient, StatusSite } from '../../api/types';
import { STATE_RANK, WORST_RANK, worstOf, type Worst } from './state';

/** One line under a site on Now: a check in trouble, or several unknown for the same reason. */
export type ProblemLine =
  | { type: 'check'; check: StatusCheck; systemName: string }
  | { type: 'group'; reason: string; checks: StatusCheck[] }
  | { type: 'agent'; agentName: string | null; since: string; unknown: number };

export interface SiteView {
  site: StatusSite;
  severity: Worst;
  problems: ProblemLine[];
}
export interface ClientView {
  client: StatusClient;
  severity: Worst;
  sites: SiteView[];
}

/**
 * What Now shows, problems first. A site whose agent is unreachable is one problem ("site agent
 * unreachable since 18:42 — 12 checks unknown"), ranked with down, not a list of unknown checks;
 * other unknown checks that share a reason ("because File server is down") are one line too.
 */
export function nowModel(status: SiteStatus, agents: readonly Agent[]): ClientView[] {
  const silentBySite = new Map<string, Agent>();
  for (const a of agents) if (a.status === 'unreachable') silentBySite.set(a.siteId, a);
  const clients = status.clients.map((client) => {
    const sites = client.sites.map((site) => siteView(site, silentBySite.get(site.id))).sort(bySeverity((s) => s.site));
    const severity = sites.reduce<Worst>((w, s) => (WORST_RANK[s.severity] < WORST_RANK[w] ? s.severity : w), 'none');
    return { client, severity, sites };
  });
  return clients.sort(bySeverity((c) => c.client));
}

function bySeverity<T extends { severity: Worst }>(of: (v: T) => { name: string; counts: StatusSite['counts'] }) {
  return (a: T, b: T) => {
    const x = of(a).counts;
    const y = of(b).counts;
    return WORST_RANK[a.severity] - WORST_RANK[b.severity] || y.down - x.down || y.degraded - x.degraded || y.unknown - x.unknown || of(a).name.localeCompare(of(b).name);
  };
}

export function siteView(site: StatusSite, silentAgent: Agent | undefined): SiteView {
  const all = site.systems.flatMap((system) => system.checks.map((check) => ({ check, systemName: system.name })));
  const unreachable = !site.reachable;
  const behindAgent = unreachable ? all.filter(({ check }) => check.probe === 'agent' && check.state === 'unknown') : [];
  const rest = all
    .filter((c) => !behindAgent.includes(c) && (c.check.state === 'down' || c.check.state === 'degraded' || c.check.state === 'unknown'))
    .sort((a, b) => STATE_RANK[a.check.state] - STATE_RANK[b.check.state] || a.systemName.localeCompare(b.systemName) || a.check.name.localeCompare(b.check.name));

  const problems: ProblemLine[] = [];
  if (unreachable) {
    const since = silentAgent?.statusSince ?? behindAgent.map((c) => c.check.stateSince).sort()[0] ?? new Date().toISOString();
    problems.push({ type: 'agent', agentName: silentAgent?.name ?? null, since, unknown: behindAgent.length });
  }
  const unknownByReason = new Map<string, StatusCheck[]>();
  for (const c of rest) if (c.check.state === 'unknown') unknownByReason.set(c.check.stateReason, [...(unknownByReason.get(c.check.stateReason) ?? []), c.check]);
  const grouped = new Set<string>();
  for (const c of rest) {
    const shared = c.check.state === 'unknown' ? unknownByReason.get(c.check.stateReason)! : [];
    if (shared.length < 2) problems.push({ type: 'check', ...c });
    else if (!grouped.has(c.check.stateReason)) {
      grouped.add(c.check.stateReason);
      problems.push({ type: 'group', reason: c.check.stateReason, checks: shared });
    }
  }
  const counted = worstOf(site.counts);
  const severity: Worst = unreachable ? 'down' : counted;
  return { site, severity, problems };
}

export const hasProblems = (severity: Worst) => severity === 'down' || severity === 'degraded' || severity === 'unknown';
