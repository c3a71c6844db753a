import type { Heartbeat, HeartbeatEvent } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { HeartbeatsTable } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertCanSeeClient, clientScope } from '../auth/policy.js';
import { afterCursor, decodeCursor, encodeCursor } from '../register/cursor.js';
import type { Page } from '../register/listing.js';
import { presentEvent, presentHeartbeat, type HeartbeatWithNames } from './presenter.js';

export const heartbeatsWithNames = (db: Kdb) =>
  db
    .selectFrom('heartbeats')
    .innerJoin('systems', 'systems.id', 'heartbeats.system_id')
    .innerJoin('sites', 'sites.id', 'heartbeats.site_id')
    .innerJoin('clients', 'clients.id', 'heartbeats.client_id')
    .leftJoin('ping_keys', 'ping_keys.client_id', 'heartbeats.client_id')
    .selectAll('heartbeats')
    .select([
      'systems.name as system_name',
      'sites.name as site_name',
      'clients.name as client_name',
      'sites.time_zone as site_time_zone',
      'ping_keys.key as ping_key',
    ]);

export const emailDomainOf = (ctx: AppContext): string | null => ctx.settings.heartbeats?.smtp.domains[0] ?? null;

/** A heartbeat the actor may see, or 404 (another firm's is "not found" to a client account). */
export async function visibleHeartbeat(db: Kdb, actor: Actor, id: string): Promise<HeartbeatsTable> {
  const row = await db.selectFrom('heartbeats').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The heartbeat');
  assertCanSeeClient(actor, row.client_id, 'The heartbeat');
  return row;
}

export async function getHeartbeat(ctx: AppContext, actor: Actor, id: string): Promise<Heartbeat> {
  await visibleHeartbeat(ctx.db.kysely, actor, id);
  const row = await heartbeatsWithNames(ctx.db.kysely).where('heartbeats.id', '=', id).executeTakeFirstOrThrow();
  return presentHeartbeat(row as HeartbeatWithNames, emailDomainOf(ctx));
}

export interface HeartbeatListOptions {
  clientId?: string | undefined;
  siteId?: string | undefined;
  systemId?: string | undefined;
  status?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Heartbeats by name, filtered, confined to the actor's firm for client accounts. */
export async function listHeartbeats(
  ctx: AppContext,
  actor: Actor,
  options: HeartbeatListOptions,
): Promise<Page<Heartbeat>> {
  const db = ctx.db.kysely;
  const scope = clientScope(actor);
  const filter = <Q extends { where: (...args: any[]) => any }>(q: Q): Q => {
    let out: any = q;
    if (scope) out = out.where('heartbeats.client_id', '=', scope);
    if (options.clientId) out = out.where('heartbeats.client_id', '=', options.clientId);
    if (options.siteId) out = out.where('heartbeats.site_id', '=', options.siteId);
    if (options.systemId) out = out.where('heartbeats.system_id', '=', options.systemId);
    if (options.status) out = out.where('heartbeats.status', '=', options.status);
    return out as Q;
  };
  const total = await filter(db.selectFrom('heartbeats'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  let rows = filter(heartbeatsWithNames(db));
  if (options.cursor) rows = rows.where(afterCursor('heartbeats.name', 'heartbeats.id', decodeCursor(options.cursor)));
  const found = (await rows
    .orderBy('heartbeats.name')
    .orderBy('heartbeats.id')
    .limit(options.limit + 1)
    .execute()) as HeartbeatWithNames[];
  const items = found.slice(0, options.limit);
  const last = items.at(-1);
  return {
    items: items.map((row) => presentHeartbeat(row, emailDomainOf(ctx))),
    nextCursor: found.length > options.limit && last ? encodeCursor({ name: last.name, id: last.id }) : null,
    total: Number(total.n),
  };
}

/** Pings and e-mails of a heartbeat, newest first, with their bodies. */
export async function heartbeatHistory(
  db: Kdb,
  id: string,
  options: { before?: number | undefined; limit: number; action?: HeartbeatEvent['action'] | undefined },
): Promise<{ items: HeartbeatEvent[]; nextBefore: number | null }> {
  let q = db.selectFrom('heartbeat_pings').selectAll().where('heartbeat_id', '=', id);
  if (options.before !== undefined) q = q.where('n', '<', options.before);
  if (options.action !== undefined) q = q.where('action', '=', options.action);
  const rows = await q
    .orderBy('n', 'desc')
    .limit(options.limit + 1)
    .execute();
  const items = rows.slice(0, options.limit).map(presentEvent);
  return { items, nextBefore: rows.length > options.limit ? (items.at(-1)?.n ?? null) : null };
}
