import type { Suppression } from './state-machine.js';

/**
 * Dependency suppression, pure: "the check is unknown because <system> is down" instead of down,
 * so that one root cause (the host, the firewall, the office's power) is one alert, not forty.
 */

export interface DependencyEdge {
  /** The system that depends… */
  systemId: string;
  /** …on this one. */
  dependsOnId: string;
}

/** A system that has at least one check shown down, with the state change that made it so. */
export interface DownSystem {
  systemId: string;
  systemName: string;
  /** The state change that put that check down; the root cause of everything suppressed by it. */
  rootChangeId: string | null;
}

export class DependencyGraph {
  private readonly parents = new Map<string, string[]>();
  private readonly children = new Map<string, string[]>();

  constructor(edges: Iterable<DependencyEdge>) {
    for (const { systemId, dependsOnId } of edges) {
      push(this.parents, systemId, dependsOnId);
      push(this.children, dependsOnId, systemId);
    }
  }

  /** Systems this one depends on, nearest first (breadth first), without itself; cycles are tolerated. */
  ancestors(systemId: string): string[] {
    return walk(systemId, this.parents);
  }

  /** Systems that depend on this one, directly or through others, nearest first. */
  descendants(systemId: string): string[] {
    return walk(systemId, this.children);
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function walk(start: string, next: Map<string, string[]>): string[] {
  const seen = new Set<string>([start]);
  const order: string[] = [];
  let frontier = [start];
  while (frontier.length) {
    const following: string[] = [];
    for (const id of frontier) {
      for (const n of [...(next.get(id) ?? [])].sort()) {
        if (seen.has(n)) continue;
        seen.add(n);
        order.push(n);
        following.push(n);
      }
    }
    frontier = following;
  }
  return order;
}

/** The nearest system this one depends on that is down, as a suppression; null when none is. */
export function dependencySuppression(
  systemId: string,
  graph: DependencyGraph,
  down: ReadonlyMap<string, DownSystem>,
): Suppression | null {
  for (const ancestor of graph.ancestors(systemId)) {
    const hit = down.get(ancestor);
    if (hit) return systemSuppression(hit);
  }
  return null;
}

export function systemSuppression(down: DownSystem): Suppression {
  return {
    causeType: 'system',
    causeId: down.systemId,
    rootCauseId: down.rootChangeId,
    reason: `because ${down.systemName} is down`,
  };
}

/** HH:MM in the site's time zone, for "site agent unreachable since 18:42". */
export function clockTime(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(
      new Date(iso),
    );
  } catch {
    return new Date(iso).toISOString().slice(11, 16);
  }
}

export function agentSuppression(agentId: string, rootChangeId: string, since: string, timeZone: string): Suppression {
  return {
    causeType: 'agent',
    causeId: agentId,
    rootCauseId: rootChangeId,
    reason: `site agent unreachable since ${clockTime(since, timeZone)}`,
  };
}
