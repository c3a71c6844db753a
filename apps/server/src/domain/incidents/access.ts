import type { Kdb } from '../../db/database.js';
import type { IncidentsTable } from '../../db/schema.js';
import { badInput, notFound } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertCanSeeClient } from '../auth/policy.js';

/** One incident the actor may see, or 404 (another firm's incidents are "not found" to client accounts). */
export async function visibleIncident(db: Kdb, actor: Actor, id: string): Promise<IncidentsTable> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The incident');
  assertCanSeeClient(actor, row.client_id, 'The incident');
  return row;
}

/** A colleague who can own an incident or take a task: an active staff account. Answers their name. */
export async function assertColleague(db: Kdb, userId: string, field: string): Promise<string> {
  const user = await db
    .selectFrom('users')
    .select(['name', 'role', 'disabled'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || user.disabled || user.role === 'client')
    throw badInput({ [field]: 'must be an active colleague (owner, admin or technician)' });
  return user.name;
}

/**
 * The sites and systems named, checked to be the client's: systems bring their sites with them. Answers the
 * site ids (in the order given, then those the systems add) and the systems.
 */
export async function affectedOf(
  db: Kdb,
  clientId: string,
  siteIds: string[],
  systemIds: string[],
): Promise<{ siteIds: string[]; systems: Array<{ id: string; site_id: string; name: string }> }> {
  const sites = siteIds.length
    ? await db.selectFrom('sites').select(['id', 'client_id']).where('id', 'in', siteIds).execute()
    : [];
  for (const id of siteIds)
    if (sites.find((s) => s.id === id)?.client_id !== clientId)
      throw badInput({ siteIds: `site ${id} is not one of this client's sites` });
  const systems = systemIds.length
    ? await db
        .selectFrom('systems')
        .select(['id', 'site_id', 'client_id', 'name'])
        .where('id', 'in', systemIds)
        .execute()
    : [];
  for (const id of systemIds)
    if (systems.find((s) => s.id === id)?.client_id !== clientId)
      throw badInput({ systemIds: `system ${id} is not one of this client's systems` });
  const all = [...new Set([...siteIds, ...systems.map((s) => s.site_id)])];
  return { siteIds: all, systems: systems.map(({ id, site_id, name }) => ({ id, site_id, name })) };
}
