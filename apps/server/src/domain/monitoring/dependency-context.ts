import {
  DependencyGraph,
  dependencySuppression,
  systemSuppression,
  type DownSystem,
  type Suppression,
} from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import { chunks } from '../../lib/chunks.js';

/**
 * The dependency graph and the systems that are down, for the clients touched by one batch, kept up
 * to date in memory while the batch is applied in time order.
 */
export class DependencyContext {
  private constructor(
    readonly graph: DependencyGraph,
    /** systemId → its checks shown down, in the order they went down (checkId → state change id). */
    private readonly down: Map<string, { name: string; checks: Map<string, string | null> }>,
  ) {}

  static async load(db: Kdb, clientIds: readonly string[]): Promise<DependencyContext> {
    const edges: Array<{ systemId: string; dependsOnId: string }> = [];
    const down = new Map<string, { name: string; checks: Map<string, string | null> }>();
    for (const part of chunks([...new Set(clientIds)])) {
      const rows = await db
        .selectFrom('system_dependencies')
        .select(['system_id', 'depends_on_id'])
        .where('client_id', 'in', part)
        .execute();
      for (const r of rows) edges.push({ systemId: r.system_id, dependsOnId: r.depends_on_id });
      if (rows.length === 0) continue; // no dependencies among these clients: nothing can be suppressed
      const downRows = await db
        .selectFrom('checks')
        .innerJoin('systems', 'systems.id', 'checks.system_id')
        .select(['checks.id', 'checks.system_id', 'checks.state_change_id', 'systems.name'])
        .where('checks.client_id', 'in', part)
        .where('checks.state', '=', 'down')
        .orderBy('checks.state_since')
        .orderBy('checks.id')
        .execute();
      for (const r of downRows) {
        const entry = down.get(r.system_id) ?? { name: r.name, checks: new Map() };
        entry.checks.set(r.id, r.state_change_id);
        down.set(r.system_id, entry);
      }
    }
    return new DependencyContext(new DependencyGraph(edges), down);
  }

  private downSystems(): Map<string, DownSystem> {
    const map = new Map<string, DownSystem>();
    for (const [systemId, entry] of this.down) {
      const first = entry.checks.values().next();
      if (!first.done) map.set(systemId, { systemId, systemName: entry.name, rootChangeId: first.value });
    }
    return map;
  }

  /** Why a check on this system must be shown unknown, or null. */
  suppressionFor(systemId: string): Suppression | null {
    if (this.down.size === 0) return null;
    return dependencySuppression(systemId, this.graph, this.downSystems());
  }

  /** A check went down: returns the suppression its dependents get (null if its system was down already). */
  checkWentDown(systemId: string, systemName: string, checkId: string, changeId: string): Suppression | null {
    const entry = this.down.get(systemId);
    if (entry) {
      entry.checks.set(checkId, changeId);
      return null;
    }
    this.down.set(systemId, { name: systemName, checks: new Map([[checkId, changeId]]) });
    return systemSuppression({ systemId, systemName, rootChangeId: changeId });
  }

  checkLeftDown(systemId: string, checkId: string): void {
    const entry = this.down.get(systemId);
    if (!entry) return;
    entry.checks.delete(checkId);
    if (entry.checks.size === 0) this.down.delete(systemId);
  }

  isDown(systemId: string): boolean {
    return this.down.has(systemId);
  }
}

export async function systemNames(db: Kdb, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const part of chunks([...new Set(ids)])) {
    for (const r of await db.selectFrom('systems').select(['id', 'name']).where('id', 'in', part).execute())
      names.set(r.id, r.name);
  }
  return names;
}
