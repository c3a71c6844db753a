import type { System } from '../../api/types';

/**
 * Orders systems so that what others depend on comes first (UPS, then host, then its VMs): the
 * order power comes back in. Depth is the longest chain below a system; loops (which the hub
 * refuses) are cut rather than followed.
 */
export function byDependencyOrder(systems: readonly System[]): { system: System; depth: number }[] {
  const byId = new Map(systems.map((s) => [s.id, s]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (s: System): number => {
    const known = depth.get(s.id);
    if (known !== undefined) return known;
    if (visiting.has(s.id)) return 0;
    visiting.add(s.id);
    let d = 0;
    for (const dep of s.dependsOn) {
      const parent = byId.get(dep.id);
      if (parent) d = Math.max(d, depthOf(parent) + 1);
    }
    visiting.delete(s.id);
    depth.set(s.id, d);
    return d;
  };
  return systems
    .map((system) => ({ system, depth: depthOf(system) }))
    .sort((a, b) => a.depth - b.depth || a.system.name.localeCompare(b.system.name));
}
