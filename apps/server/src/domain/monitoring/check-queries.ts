import type { Check } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { ChecksTable } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertCanSeeClient, clientScope } from '../auth/policy.js';
import { afterCursor, decodeCursor, encodeCursor } from '../register/cursor.js';
import type { Page } from '../register/listing.js';
import { causeNames } from './cause-names.js';
import { presentCheck, type CheckWithNames } from './check-presenter.js';

export interface CheckListOptions {
  systemId?: string | undefined;
  siteId?: string | undefined;
  clientId?: string | undefined;
  state?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export const checksWithNames = (db: Kdb) =>
  db
    .selectFrom('checks')
    .innerJoin('systems', 'systems.id', 'checks.system_id')
    .innerJoin('sites', 'sites.id', 'checks.site_id')
    .innerJoin('clients', 'clients.id', 'checks.client_id')
    .selectAll('checks')
    .select([
      'systems.name as system_name',
      'sites.name as site_name',
      'sites.time_zone as site_time_zone',
      'clients.name as client_name',
    ]);

/** A check the actor may see, or 404 (another firm's check is "not found" to a client account). */
export async function visibleCheck(db: Kdb, actor: Actor, id: string): Promise<ChecksTable> {
  const row = await db.selectFrom('checks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The check');
  assertCanSeeClient(actor, row.client_id, 'The check');
  return row;
}

export async function getCheck(ctx: AppContext, actor: Actor, id: string): Promise<Check> {
  await visibleCheck(ctx.db.kysely, actor, id);
  const row = await checksWithNames(ctx.db.kysely).where('checks.id', '=', id).executeTakeFirstOrThrow();
  return presentCheck(row as CheckWithNames, ctx.secrets, await causeNames(ctx.db.kysely, [row]));
}

/** Checks by system name, then check name; filtered, and confined to the actor's firm for client accounts. */
export async function listChecks(ctx: AppContext, actor: Actor, options: CheckListOptions): Promise<Page<Check>> {
  const db = ctx.db.kysely;
  const scope = clientScope(actor);
  let base = db.selectFrom('checks');
  if (scope) base = base.where('checks.client_id', '=', scope);
  if (options.clientId) base = base.where('checks.client_id', '=', options.clientId);
  if (options.siteId) base = base.where('checks.site_id', '=', options.siteId);
  if (options.systemId) base = base.where('checks.system_id', '=', options.systemId);
  if (options.state) base = base.where('checks.state', '=', options.state);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

  let rows = checksWithNames(db);
  if (scope) rows = rows.where('checks.client_id', '=', scope);
  if (options.clientId) rows = rows.where('checks.client_id', '=', options.clientId);
  if (options.siteId) rows = rows.where('checks.site_id', '=', options.siteId);
  if (options.systemId) rows = rows.where('checks.system_id', '=', options.systemId);
  if (options.state) rows = rows.where('checks.state', '=', options.state);
  if (options.cursor) rows = rows.where(afterCursor('checks.name', 'checks.id', decodeCursor(options.cursor)));
  const found = (await rows
    .orderBy('checks.name')
    .orderBy('checks.id')
    .limit(options.limit + 1)
    .execute()) as CheckWithNames[];
  const items = found.slice(0, options.limit);
  const last = items.at(-1);
  const names = await causeNames(db, items);
  return {
    items: items.map((row) => presentCheck(row, ctx.secrets, names)),
    nextCursor: found.length > options.limit && last ? encodeCursor({ name: last.name, id: last.id }) : null,
    total: Number(total.n),
  };
}
