import type { StatusSummary } from '@afterhours/shared';
import { STATE_RANK, WORST_RANK, worstOf, type Worst } from './state';

export type SummaryClient = StatusSummary['clients'][number];
export type SummarySite = SummaryClient['sites'][number];
export type SummaryCheck = SummarySite['problems'][number];
export type SummaryGroup = SummarySite['groups'][number];

/** One line under a site on Now: a check in trouble, or several unknown for the same reason. */
export type ProblemLine =
  | { type: 'check'; check: SummaryCheck }
  | { type: 'group'; group: SummaryGroup }
  | { type: 'agent'; agentName: string | null; since: string; unknown: number };

export interface SiteView {
  site: SummarySite;
  severity: Worst;
  /** The site's agent is silent: an office that may have lost power comes before a single check down. */
  unreachable: boolean;
  problems: ProblemLine[];
}
export interface ClientView {
  client: SummaryClient;
  severity: Worst;
  unreachable: boolean;
  sites: SiteView[];
}

/**
 * What Now shows, problems first, from the hub's compact summary (GET /api/status/summary). A site
 * whose agent is unreachable is one problem ("site agent unreachable since 18:42 — 12 checks
 * unknown"), ranked with down, not a list of unknown checks; other unknown checks that share a reason
 * ("because File server is down") come from the hub as one line already.
 */
export function nowModel(status: StatusSummary): ClientView[] {
  const clients = status.clients.map((client) => {
    const sites = client.sites.map(siteView).sort(bySeverity((s) => s.site));
    const severity = sites.reduce<Worst>((w, s) => (WORST_RANK[s.severity] < WORST_RANK[w] ? s.severity : w), 'none');
    return { client, severity, unreachable: sites.some((s) => s.unreachable), sites };
  });
  return clients.sort(bySeverity((c) => c.client));
}

function bySeverity<T extends { severity: Worst; unreachable: boolean }>(
  of: (v: T) => { name: string; counts: SummarySite['counts'] },
) {
  return (a: T, b: T) => {
    const x = of(a).counts;
    const y = of(b).counts;
    return (
      WORST_RANK[a.severity] - WORST_RANK[b.severity] ||
      Number(b.unreachable) - Number(a.unreachable) ||
      y.down - x.down ||
      y.degraded - x.degraded ||
      y.unknown - x.unknown ||
      of(a).name.localeCompare(of(b).name)
    );
  };
}

export function siteView(site: SummarySite): SiteView {
  const unreachable = !site.reachable;
  // Behind a silent agent: its checks are unknown because of it, whatever each one's reason says.
  const behind = (p: { probe: string }) => unreachable && p.probe === 'agent';
  const behindAgent = site.problems.filter((c) => behind(c) && c.state === 'unknown');
  const groupsBehind = site.groups.filter(behind);
  const rest = site.problems
    .filter((c) => !behindAgent.includes(c))
    .sort(
      (a, b) =>
        STATE_RANK[a.state] - STATE_RANK[b.state] ||
        a.systemName.localeCompare(b.systemName) ||
        a.name.localeCompare(b.name),
    );

  const problems: ProblemLine[] = [];
  if (unreachable) {
    const since =
      site.unreachableSince ??
      [...behindAgent.map((c) => c.stateSince), ...groupsBehind.map((g) => g.since)].sort()[0] ??
      new Date().toISOString();
    const unknown = behindAgent.length + groupsBehind.reduce((n, g) => n + g.count, 0);
    problems.push({ type: 'agent', agentName: site.agentName, since, unknown });
  }
  for (const c of rest) if (c.state !== 'unknown') problems.push({ type: 'check', check: c });
  for (const g of site.groups) if (!groupsBehind.includes(g)) problems.push({ type: 'group', group: g });
  for (const c of rest) if (c.state === 'unknown') problems.push({ type: 'check', check: c });
  const severity: Worst = unreachable ? 'down' : worstOf(site.counts);
  return { site, severity, unreachable, problems };
}

export const hasProblems = (severity: Worst) =>
  severity === 'down' || severity === 'degraded' || severity === 'unknown';
