import type { PlanStage } from './types.js';

export interface OrderedSystem {
  id: string;
  name: string;
  /** Ids of systems this one needs (an application needs its database; a VM needs its hypervisor). */
  dependsOn: string[];
}

/**
 * Default shutdown stages from the systems' dependencies: a system goes down before everything it
 * depends on, so the first stage holds the systems nothing depends on (applications, VMs) and the last
 * the ones everything needs (hypervisors, storage). Each stage sits one level deeper in the graph.
 * Dependencies on systems outside the list are ignored; a cycle (refused by the hub) would put its
 * members in one last stage rather than loop.
 */
export function defaultStages(systems: OrderedSystem[], timeoutSeconds = 180): PlanStage[] {
  const ids = new Set(systems.map((s) => s.id));
  const dependents = new Map<string, string[]>(systems.map((s) => [s.id, []]));
  for (const s of systems) for (const d of s.dependsOn) if (ids.has(d) && d !== s.id) dependents.get(d)?.push(s.id);
  // Level = length of the longest chain of systems that depend on this one.
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return systems.length;
    visiting.add(id);
    const value = Math.max(-1, ...(dependents.get(id) ?? []).map(depth)) + 1;
    visiting.delete(id);
    level.set(id, value);
    return value;
  };
  const byLevel = new Map<number, OrderedSystem[]>();
  for (const s of systems) {
    const l = depth(s.id);
    byLevel.set(l, [...(byLevel.get(l) ?? []), s]);
  }
  return [...byLevel.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, members], index) => ({
      name: `Stage ${index + 1}`,
      systemIds: members.sort((a, b) => a.name.localeCompare(b.name)).map((s) => s.id),
      timeoutSeconds,
      onTimeout: 'continue' as const,
    }));
}
