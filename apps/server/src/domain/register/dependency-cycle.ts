/**
 * The shortest dependency cycle through `start`, as ids from `start` back to `start`
 * (e.g. [mail, firewall, mail]), or null when following dependencies from `start` never returns.
 * Breadth-first, so the cycle named to the user is the shortest one.
 */
export function findCycleThrough(start: string, dependsOn: (id: string) => readonly string[]): string[] | null {
  const cameFrom = new Map<string, string>();
  let frontier = [start];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const dep of dependsOn(id)) {
        if (dep === start) return [...pathTo(id, start, cameFrom), start];
        if (cameFrom.has(dep)) continue;
        cameFrom.set(dep, id);
        next.push(dep);
      }
    }
    frontier = next;
  }
  return null;
}

function pathTo(id: string, start: string, cameFrom: Map<string, string>): string[] {
  const path = [id];
  while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
  return path;
}
