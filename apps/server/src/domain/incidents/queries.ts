import type {
  IncidentDetail,
  IncidentListQuery,
  IncidentStatus,
  IncidentSummary,
  IncidentTerms,
  TimelineEntry,
} from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { IncidentsTable } from '../../db/schema.js';
import { userNames } from '../auth/users.js';
import type { Actor } from '../auth/actor.js';
import { clientScope } from '../auth/policy.js';
import { tasksOfIncident, taskCounts } from '../tasks/queries.js';
import { visibleIncident } from './access.js';
import { responseOf } from './response.js';
import { countTimeline, type Hidden, readTimeline } from './timeline.js';

const person = (names: Map<string, string>, id: string | null) =>
  id ? { id, name: names.get(id) ?? 'a former user' } : null;

/** Incidents as lists show them: one query per part for the whole page, grouped in memory. */
async function summaries(db: Kdb, rows: IncidentsTable[], now: Date): Promise<IncidentSummary[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [clients, sites, counts, names] = await Promise.all([
    db
      .selectFrom('clients')
      .select(['id', 'name'])
      .where('id', 'in', [...new Set(rows.map((r) => r.client_id))])
      .execute(),
    db
      .selectFrom('incident_sites')
      .innerJoin('sites', 'sites.id', 'incident_sites.site_id')
      .select(['incident_sites.incident_id', 'sites.id', 'sites.name', 'sites.time_zone'])
      .where('incident_sites.incident_id', 'in', ids)
      .orderBy('incident_sites.added_at')
      .orderBy('sites.name')
      .execute(),
    taskCounts(db, ids, now.toISOString()),
    userNames(
      db,
      rows.flatMap((r) => (r.owner_user_id ? [r.owner_user_id] : [])),
    ),
  ]);
  const clientName = new Map(clients.map((c) => [c.id, c.name]));
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    clientId: r.client_id,
    clientName: clientName.get(r.client_id) ?? '',
    title: r.title,
    status: r.status as IncidentStatus,
    severity: r.severity as IncidentSummary['severity'],
    owner: person(names, r.owner_user_id),
    sites: sites.filter((s) => s.incident_id === r.id).map((s) => ({ id: s.id, name: s.name, timeZone: s.time_zone })),
    openedAt: r.opened_at,
    acknowledgedAt: r.acknowledged_at,
    resolvedAt: r.resolved_at,
    openTasks: counts.get(r.id)?.open ?? 0,
    overdueTasks: counts.get(r.id)?.overdue ?? 0,
    response: responseOf(r, JSON.parse(r.terms_json) as IncidentTerms, now),
  }));
}

/** Incidents, open first (then most recent); client accounts see their own firm's only. */
export async function listIncidents(
  ctx: AppContext,
  actor: Actor,
  query: z.infer<typeof IncidentListQuery>,
): Promise<{ items: IncidentSummary[] }> {
  const db = ctx.db.kysely;
  let q = db.selectFrom('incidents').selectAll();
  const clientId = clientScope(actor, query.clientId);
  if (clientId) q = q.where('client_id', '=', clientId);
  if (query.state === 'open') q = q.where('status', '!=', 'resolved');
  if (query.state === 'resolved') q = q.where('status', '=', 'resolved');
  const rows = await q
    .orderBy((eb) => eb.case().when('status', '=', 'resolved').then(1).else(0).end())
    .orderBy('opened_at', 'desc')
    .limit(query.limit)
    .execute();
  return { items: await summaries(db, rows, ctx.clock.now()) };
}

/** Live state of a system: the worst state of its checks (none when it has no checks). */
const WORST = ['down', 'degraded', 'unknown', 'up', 'paused'];

/**
 * Who was paged is the firm's business, as on alerts, and internal notes and photos are the team's: client
 * accounts (and the report, and shared links, which read as the client) see neither.
 */
export const hiddenFrom = (actor: Actor): Hidden =>
  actor.role === 'client' ? { kinds: ['paged'], internal: true } : { kinds: [], internal: false };

/** The newest timeline lines the incident's screen opens with; older ones are paged in on request. */
export const TIMELINE_PAGE = 200;

/**
 * One incident with everything its screen shows, and its newest TIMELINE_PAGE timeline lines (all of them
 * with `timeline: 'all'`, for the report).
 */
export async function incidentDetail(
  ctx: AppContext,
  actor: Actor,
  id: string,
  options: { timeline?: 'page' | 'all' } = {},
): Promise<IncidentDetail> {
  const db = ctx.db.kysely;
  const row = await visibleIncident(db, actor, id);
  const now = ctx.clock.now();
  const hidden = hiddenFrom(actor);
  const [[summary], systems, checks, alerts, tasks, timeline, timelineTotal] = await Promise.all([
    summaries(db, [row], now),
    db
      .selectFrom('incident_systems')
      .innerJoin('systems', 'systems.id', 'incident_systems.system_id')
      .select(['systems.id', 'systems.name', 'systems.kind', 'systems.site_id'])
      .where('incident_systems.incident_id', '=', id)
      .orderBy('systems.name')
      .execute(),
    db
      .selectFrom('incident_systems')
      .innerJoin('checks', 'checks.system_id', 'incident_systems.system_id')
      .select(['checks.system_id', 'checks.state'])
      .where('incident_systems.incident_id', '=', id)
      .execute(),
    db
      .selectFrom('incident_alerts')
      .innerJoin('alerts', 'alerts.id', 'incident_alerts.alert_id')
      .select(['alerts.id', 'alerts.title', 'alerts.state', 'alerts.opened_at'])
      .where('incident_alerts.incident_id', '=', id)
      .orderBy('alerts.opened_at')
      .execute(),
    tasksOfIncident(ctx, id),
    readTimeline(db, id, { hidden, limit: options.timeline === 'all' ? null : TIMELINE_PAGE }),
    countTimeline(db, id, hidden),
  ]);
  const names = await userNames(
    db,
    [row.opened_by, row.acknowledged_by, row.resolved_by, row.status_by].filter((u): u is string => u !== null),
  );
  const stateOf = (systemId: string) => {
    const states = checks.filter((c) => c.system_id === systemId).map((c) => c.state);
    return states.length ? (WORST.find((s) => states.includes(s)) ?? states[0]!) : 'none';
  };
  return {
    ...summary!,
    summary: row.summary,
    source: row.source as IncidentDetail['source'],
    openedBy: person(names, row.opened_by),
    acknowledgedBy: person(names, row.acknowledged_by),
    resolvedBy: person(names, row.resolved_by),
    statusAt: row.status_at,
    statusBy: person(names, row.status_by),
    terms: JSON.parse(row.terms_json) as IncidentTerms,
    systems: systems.map((s) => ({ id: s.id, name: s.name, kind: s.kind, siteId: s.site_id, state: stateOf(s.id) })),
    alerts: alerts.map((a) => ({ id: a.id, title: a.title, state: a.state, openedAt: a.opened_at })),
    tasks,
    timeline: timeline.entries,
    timelineTotal,
    canEdit: actor.role !== 'client',
  };
}

/** Older timeline lines, TIMELINE_PAGE at a time, before the oldest one the screen has. */
export async function timelinePage(
  ctx: AppContext,
  actor: Actor,
  id: string,
  beforeId: string | undefined,
): Promise<{ items: TimelineEntry[]; more: boolean }> {
  await visibleIncident(ctx.db.kysely, actor, id);
  const page = await readTimeline(ctx.db.kysely, id, {
    hidden: hiddenFrom(actor),
    limit: TIMELINE_PAGE,
    beforeId: beforeId ?? null,
  });
  return { items: page.entries, more: page.more };
}
