import type { AuditEvent, AuditQuery } from '@afterhours/shared';
import { isStaff } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { AuditEventsTable } from '../../db/schema.js';
import { badInput, forbidden } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { mentionedIds, namesOf } from '../audit/names.js';

export type AuditQueryInput = z.infer<typeof AuditQuery>;

export function presentAuditEvent(row: AuditEventsTable, names: ReadonlyMap<string, string> = new Map()): AuditEvent {
  const before = row.before_json ? (JSON.parse(row.before_json) as Record<string, unknown>) : null;
  const after = row.after_json ? (JSON.parse(row.after_json) as Record<string, unknown>) : null;
  const mentioned = mentionedIds([row.client_id, before, after]).filter((id) => names.has(id));
  return {
    id: row.id,
    at: row.at,
    actor: { type: row.actor_type as AuditEvent['actor']['type'], id: row.actor_id, label: row.actor_label },
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    clientId: row.client_id,
    summary: row.summary,
    before,
    after,
    entityName: (row.entity_id && names.get(row.entity_id)) ?? null,
    names: Object.fromEntries(mentioned.map((id) => [id, names.get(id) ?? ''])),
  };
}

const parse = (json: string | null): unknown => (json ? JSON.parse(json) : null);

/** The cursor is the (at, id) of the last event of a page, opaque to callers. */
export function encodeAuditCursor(event: { at: string; id: string }): string {
  return Buffer.from(`${event.at}|${event.id}`, 'utf8').toString('base64url');
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\|([0-9a-f-]{36})$/i;

export function decodeAuditCursor(cursor: string): { at: string; id: string } {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw badInput({ before: 'is not a cursor from this list; pass the nextCursor of the previous page' });
  return { at: match[1]!, id: match[2]! };
}

/** The audit log, newest first, a page at a time. Staff only: client accounts have no audit log. */
export async function listAudit(ctx: AppContext, actor: Actor, query: AuditQueryInput) {
  if (!isStaff(actor.role)) throw forbidden('Only staff can read the audit log');
  let filtered = ctx.db.kysely.selectFrom('audit_events');
  if (query.entityType) filtered = filtered.where('entity_type', '=', query.entityType);
  if (query.entityId) filtered = filtered.where('entity_id', '=', query.entityId);
  if (query.actorId) filtered = filtered.where('actor_id', '=', query.actorId);
  if (query.clientId) filtered = filtered.where('client_id', '=', query.clientId);

  let paged = filtered.selectAll();
  if (query.before) {
    const { at, id } = decodeAuditCursor(query.before);
    paged = paged.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
  }
  const rows = await paged
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const total = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const page = rows.slice(0, query.limit);
  const names = await namesOf(
    ctx.db.kysely,
    mentionedIds(page.flatMap((r) => [r.entity_id, r.client_id, parse(r.before_json), parse(r.after_json)])),
  );
  const items = page.map((row) => presentAuditEvent(row, names));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > query.limit && last ? encodeAuditCursor(last) : null,
    total: Number(total.n),
  };
}
