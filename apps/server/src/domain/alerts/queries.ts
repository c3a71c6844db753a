import type { Alert, AlertDetail } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { AlertsTable } from '../../db/schema.js';
import { badInput, notFound } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertCanSeeClient, clientScope } from '../auth/policy.js';
import { userNames } from '../auth/users.js';

type Names = { clients: Map<string, string>; sites: Map<string, string>; users: Map<string, string> };

function person(id: string | null, names: Names) {
  return id ? { id, name: names.users.get(id) ?? 'someone' } : null;
}

export function presentAlert(row: AlertsTable, names: Names, paged: string[]): Alert {
  const policy = row.policy_json ? (JSON.parse(row.policy_json) as { name: string }) : null;
  return {
    id: row.id,
    kind: row.kind as Alert['kind'],
    title: row.title,
    reason: row.reason,
    criticality: row.criticality,
    state: row.state as Alert['state'],
    subjectState: row.subject_state,
    flapping: row.flapping === 1,
    inMaintenance: row.maintenance_id !== null,
    pages: row.pages === 1,
    pageReason: row.page_reason,
    clientId: row.client_id,
    clientName: row.client_id ? (names.clients.get(row.client_id) ?? null) : null,
    siteId: row.site_id,
    siteName: row.site_id ? (names.sites.get(row.site_id) ?? null) : null,
    systemId: row.system_id,
    checkId: row.check_id,
    heartbeatId: row.heartbeat_id,
    affected: JSON.parse(row.affected_json),
    failing: JSON.parse(row.failing_json),
    openedAt: row.opened_at,
    lastChangeAt: row.last_change_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: person(row.acknowledged_by, names),
    resolvedAt: row.resolved_at,
    resolvedBy: person(row.resolved_by, names),
    resolution: row.resolution as Alert['resolution'],
    paged: paged.map((id) => ({ id, name: names.users.get(id) ?? 'someone' })),
    policyName: policy?.name ?? null,
  };
}

/** Alerts as the API shows them: names looked up in a few queries for the whole page. */
export async function presentAlerts(db: Kdb, actor: Actor, rows: AlertsTable[]): Promise<Alert[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const staff = actor.role !== 'client';
  const paged = staff
    ? await db
        .selectFrom('subject_pages')
        .select(['subject_id', 'user_id'])
        .where('subject_type', '=', 'alert')
        .where('subject_id', 'in', ids)
        .orderBy('first_at')
        .execute()
    : [];
  const clientIds = [...new Set(rows.flatMap((r) => (r.client_id ? [r.client_id] : [])))];
  const siteIds = [...new Set(rows.flatMap((r) => (r.site_id ? [r.site_id] : [])))];
  const clients = clientIds.length
    ? await db.selectFrom('clients').select(['id', 'name']).where('id', 'in', clientIds).execute()
    : [];
  const sites = siteIds.length
    ? await db.selectFrom('sites').select(['id', 'name']).where('id', 'in', siteIds).execute()
    : [];
  const users = await userNames(db, [
    ...paged.map((p) => p.user_id),
    ...rows.flatMap((r) => [r.acknowledged_by, r.resolved_by].filter((u): u is string => u !== null)),
  ]);
  const names: Names = {
    clients: new Map(clients.map((c) => [c.id, c.name])),
    sites: new Map(sites.map((s) => [s.id, s.name])),
    users,
  };
  return rows.map((row) =>
    presentAlert(
      row,
      names,
      paged.filter((p) => p.subject_id === row.id).map((p) => p.user_id),
    ),
  );
}

export interface AlertListInput {
  state: 'unresolved' | 'open' | 'acknowledged' | 'resolved' | 'all';
  clientId?: string | undefined;
  siteId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * Open first (oldest first: the longest-waiting at the top), then acknowledged, then resolved (newest first).
 * The cursor is the offset; alerts are few enough at any time for that to be fine.
 */
export async function listAlerts(db: Kdb, actor: Actor, input: AlertListInput) {
  const offset = input.cursor ? Number(input.cursor) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw badInput({ cursor: 'is not a cursor this list gave' });
  let q = db.selectFrom('alerts').selectAll();
  const scope = clientScope(actor, input.clientId);
  if (scope) q = q.where('client_id', '=', scope);
  if (input.siteId) q = q.where('site_id', '=', input.siteId);
  if (input.state === 'unresolved') q = q.where('state', '!=', 'resolved');
  else if (input.state !== 'all') q = q.where('state', '=', input.state);
  const rows = await q
    .orderBy((eb) =>
      eb.case().when('state', '=', 'open').then(0).when('state', '=', 'acknowledged').then(1).else(2).end(),
    )
    .orderBy((eb) => eb.case().when('state', '=', 'resolved').then(eb.ref('resolved_at')).else(null).end(), 'desc')
    .orderBy('opened_at')
    .orderBy('id')
    .limit(input.limit + 1)
    .offset(offset)
    .execute();
  const more = rows.length > input.limit;
  const page = rows.slice(0, input.limit);
  return { items: await presentAlerts(db, actor, page), nextCursor: more ? String(offset + input.limit) : null };
}

export async function visibleAlert(db: Kdb, actor: Actor, id: string): Promise<AlertsTable> {
  const row = await db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The alert');
  if (actor.role === 'client') {
    if (!row.client_id) throw notFound('The alert');
    assertCanSeeClient(actor, row.client_id, 'The alert');
  }
  return row;
}

/** One alert with its timeline and, for staff, every message sent about it and what became of it. */
export async function alertDetail(db: Kdb, actor: Actor, id: string): Promise<AlertDetail> {
  const row = await visibleAlert(db, actor, id);
  const [alert] = await presentAlerts(db, actor, [row]);
  const events = await db
    .selectFrom('alert_events')
    .selectAll()
    .where('alert_id', '=', id)
    .orderBy('at')
    .orderBy('seq')
    .execute();
  const staff = actor.role !== 'client';
  const deliveries = staff
    ? await db
        .selectFrom('deliveries')
        .innerJoin('outbox', 'outbox.id', 'deliveries.outbox_id')
        .leftJoin('users', 'users.id', 'deliveries.user_id')
        .select([
          'deliveries.at',
          'deliveries.event',
          'deliveries.detail',
          'outbox.kind',
          'outbox.purpose',
          'users.name as user_name',
        ])
        .where('deliveries.subject_type', '=', 'alert')
        .where('deliveries.subject_id', '=', id)
        .orderBy('deliveries.at')
        .limit(500)
        .execute()
    : [];
  const actors = await userNames(
    db,
    events.flatMap((e) => (e.actor_id ? [e.actor_id] : [])),
  );
  return {
    alert: alert!,
    timeline: events
      .filter((e) => staff || e.kind !== 'paged')
      .map((e) => ({
        at: e.at,
        kind: e.kind,
        summary: e.summary,
        actor: e.actor_id ? { id: e.actor_id, name: actors.get(e.actor_id) ?? 'someone' } : null,
      })),
    deliveries: deliveries.map((d) => ({
      at: d.at,
      userName: d.user_name,
      channel: d.kind,
      status: d.event,
      detail: d.detail || (d.purpose === 'notify' ? 'notice' : null),
    })),
  };
}
