import type { Criticality, System, SystemKind } from '@afterhours/shared';
import { sql, type SqlBool } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../auth/actor.js';
import { clientScope } from '../auth/policy.js';
import { visibleSystem } from './access.js';
import { afterCursor, decodeCursor } from './cursor.js';
import { archivedCondition, pageOf, type ArchivedFilter, type Page } from './listing.js';
import { contains, containsIgnoringCase } from './search.js';
import { loadLinks, presentSystem, type SystemWithNames } from './system-presenter.js';

export interface SystemListOptions {
  siteId?: string | undefined;
  clientId?: string | undefined;
  kind?: SystemKind | undefined;
  criticality?: Criticality | undefined;
  q?: string | undefined;
  archived: ArchivedFilter;
  limit: number;
  cursor?: string | undefined;
}

const withNames = (db: Kdb) =>
  db
    .selectFrom('systems')
    .innerJoin('sites', 'sites.id', 'systems.site_id')
    .innerJoin('clients', 'clients.id', 'systems.client_id');

export async function listSystems(db: Kdb, actor: Actor, options: SystemListOptions): Promise<Page<System>> {
  const cursor = options.cursor ? decodeCursor(options.cursor) : undefined;
  const scope = clientScope(actor);
  let base = withNames(db).where(archivedCondition('systems.archived_at', options.archived));
  if (scope) base = base.where('systems.client_id', '=', scope);
  if (options.clientId) base = base.where('systems.client_id', '=', options.clientId);
  if (options.siteId) base = base.where('systems.site_id', '=', options.siteId);
  if (options.kind) base = base.where('systems.kind', '=', options.kind);
  if (options.criticality) base = base.where('systems.criticality', '=', options.criticality);
  if (options.q) {
    const q = options.q;
    base = base.where(
      sql<SqlBool>`(${contains('systems.name_lower', q)} or ${containsIgnoringCase('systems.host', q)})`,
    );
  }

  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let rows = base.selectAll('systems').select(['sites.name as site_name', 'clients.name as client_name']);
  if (cursor) rows = rows.where(afterCursor('systems.name_lower', 'systems.id', cursor));
  const found = await rows
    .orderBy('systems.name_lower')
    .orderBy('systems.id')
    .limit(options.limit + 1)
    .execute();

  const page = pageOf(found, options.limit, Number(total.n));
  return { ...page, items: await presentSystems(db, page.items) };
}

export async function getSystem(db: Kdb, actor: Actor, id: string): Promise<System> {
  await visibleSystem(db, actor, id);
  const row = await withNames(db)
    .selectAll('systems')
    .select(['sites.name as site_name', 'clients.name as client_name'])
    .where('systems.id', '=', id)
    .executeTakeFirstOrThrow();
  return (await presentSystems(db, [row]))[0]!;
}

async function presentSystems(db: Kdb, rows: SystemWithNames[]): Promise<System[]> {
  const links = await loadLinks(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => presentSystem(row, links.get(row.id)!));
}
