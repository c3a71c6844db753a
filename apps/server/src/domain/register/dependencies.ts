import type { Kdb } from '../../db/database.js';
import { AppError, badInput } from '../../http/errors.js';
import { findCycleThrough } from './dependency-cycle.js';

interface SystemKey {
  id: string;
  client_id: string;
}

/**
 * Check a system's new `dependsOn` list: every id must be an existing system of the same client,
 * and not the system itself. Each problem is reported against its place in the list.
 */
export async function assertValidDependencies(db: Kdb, system: SystemKey, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await db.selectFrom('systems').select(['id', 'name', 'client_id']).where('id', 'in', ids).execute();
  const byId = new Map(found.map((row) => [row.id, row]));
  const fields: Record<string, string> = {};
  ids.forEach((id, index) => {
    const target = byId.get(id);
    const field = `dependsOn.${index}`;
    if (id === system.id) fields[field] = 'is this system itself; a system cannot depend on itself';
    else if (!target) fields[field] = `names no system (${id})`;
    else if (target.client_id !== system.client_id) {
      fields[field] =
        `is "${target.name}" (${id}), a system of another client; a system can only depend on systems of the same client`;
    }
  });
  if (Object.keys(fields).length > 0) throw badInput(fields);
}

/**
 * Refuse a `dependsOn` list that would close a loop (the mail server needs the firewall, which
 * needs the mail server): power sequencing and alert suppression need an order.
 */
export async function assertNoCycle(db: Kdb, system: SystemKey, ids: string[]): Promise<void> {
  // Take the client's row lock first, so two concurrent edits cannot each close half of a loop.
  await db
    .updateTable('clients')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', system.client_id)
    .execute();
  const edges = await db
    .selectFrom('system_dependencies')
    .select(['system_id', 'depends_on_id'])
    .where('client_id', '=', system.client_id)
    .execute();
  const graph = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.system_id === system.id) continue;
    graph.set(edge.system_id, [...(graph.get(edge.system_id) ?? []), edge.depends_on_id]);
  }
  graph.set(system.id, ids);
  const cycle = findCycleThrough(system.id, (id) => graph.get(id) ?? []);
  if (!cycle) return;
  const names = await db.selectFrom('systems').select(['id', 'name']).where('id', 'in', cycle).execute();
  const nameOf = new Map(names.map((row) => [row.id, row.name]));
  const described = cycle.map((id) => nameOf.get(id) ?? 'this system').join(' → ');
  throw new AppError(
    409,
    'dependency_cycle',
    `These dependencies would make a loop: ${described}. Remove one of them.`,
    {
      dependsOn: `would make a loop: ${described}`,
    },
  );
}

/** Replace all of a system's dependencies with `ids` (already checked). */
export async function replaceDependencies(db: Kdb, system: SystemKey, ids: string[]): Promise<void> {
  await db.deleteFrom('system_dependencies').where('system_id', '=', system.id).execute();
  if (ids.length === 0) return;
  await db
    .insertInto('system_dependencies')
    .values(ids.map((id) => ({ system_id: system.id, depends_on_id: id, client_id: system.client_id })))
    .execute();
}
