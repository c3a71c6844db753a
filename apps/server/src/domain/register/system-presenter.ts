import type { Criticality, System, SystemKind } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { SystemsTable } from '../../db/schema.js';

export type SystemWithNames = SystemsTable & { site_name: string; client_name: string };
export interface SystemRef {
  id: string;
  name: string;
}
export interface SystemLinks {
  dependsOn: SystemRef[];
  dependents: SystemRef[];
}

export function presentSystem(row: SystemWithNames, links: SystemLinks): System {
  return {
    id: row.id,
    siteId: row.site_id,
    clientId: row.client_id,
    siteName: row.site_name,
    clientName: row.client_name,
    name: row.name,
    kind: row.kind as SystemKind,
    host: row.host,
    criticality: row.criticality as Criticality,
    notes: row.notes,
    dependsOn: links.dependsOn,
    dependents: links.dependents,
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What the audit log keeps of a system. */
export function auditableSystem(row: SystemsTable, dependsOn: string[]) {
  return {
    siteId: row.site_id,
    name: row.name,
    kind: row.kind,
    host: row.host,
    criticality: row.criticality,
    notes: row.notes,
    archivedAt: row.archived_at,
    dependsOn,
  };
}

/** Both directions of the dependency links of many systems, in two queries. */
export async function loadLinks(db: Kdb, ids: string[]): Promise<Map<string, SystemLinks>> {
  const links = new Map(ids.map((id) => [id, { dependsOn: [] as SystemRef[], dependents: [] as SystemRef[] }]));
  if (ids.length === 0) return links;
  const outgoing = await db
    .selectFrom('system_dependencies as d')
    .innerJoin('systems as s', 's.id', 'd.depends_on_id')
    .select(['d.system_id as owner', 's.id', 's.name'])
    .where('d.system_id', 'in', ids)
    .orderBy('s.name_lower')
    .orderBy('s.id')
    .execute();
  const incoming = await db
    .selectFrom('system_dependencies as d')
    .innerJoin('systems as s', 's.id', 'd.system_id')
    .select(['d.depends_on_id as owner', 's.id', 's.name'])
    .where('d.depends_on_id', 'in', ids)
    .orderBy('s.name_lower')
    .orderBy('s.id')
    .execute();
  for (const row of outgoing) links.get(row.owner)!.dependsOn.push({ id: row.id, name: row.name });
  for (const row of incoming) links.get(row.owner)!.dependents.push({ id: row.id, name: row.name });
  return links;
}
