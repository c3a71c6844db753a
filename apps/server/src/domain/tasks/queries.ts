import type { Task, TaskStatus } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { TasksTable } from '../../db/schema.js';
import { userNames } from '../auth/users.js';
import type { Actor } from '../auth/actor.js';

/** Statuses still waiting for someone: a task in them past its due time is overdue. */
export const OPEN_TASK_STATUSES = ['todo', 'doing'] as const;

export const isOverdue = (row: Pick<TasksTable, 'status' | 'due_at'>, now: string) =>
  (OPEN_TASK_STATUSES as readonly string[]).includes(row.status) && row.due_at !== null && row.due_at < now;

/** Tasks as every screen shows them: people's names, the incident, and the time zone to show the due time in. */
export async function presentTasks(db: Kdb, rows: TasksTable[], now: string): Promise<Task[]> {
  if (!rows.length) return [];
  const incidentIds = [...new Set(rows.map((r) => r.incident_id))];
  const siteIds = [...new Set(rows.flatMap((r) => (r.site_id ? [r.site_id] : [])))];
  const [incidents, sites, firstSites, names] = await Promise.all([
    db
      .selectFrom('incidents')
      .innerJoin('clients', 'clients.id', 'incidents.client_id')
      .select(['incidents.id', 'incidents.number', 'incidents.title', 'clients.name as client'])
      .where('incidents.id', 'in', incidentIds)
      .execute(),
    siteIds.length ? db.selectFrom('sites').select(['id', 'time_zone']).where('id', 'in', siteIds).execute() : [],
    db
      .selectFrom('incident_sites')
      .innerJoin('sites', 'sites.id', 'incident_sites.site_id')
      .select(['incident_sites.incident_id', 'sites.time_zone'])
      .where('incident_sites.incident_id', 'in', incidentIds)
      .orderBy('incident_sites.added_at')
      .execute(),
    userNames(
      db,
      rows.flatMap((r) =>
        [r.assignee_user_id, r.report_to_user_id, r.status_by].filter((u): u is string => u !== null),
      ),
    ),
  ]);
  const incident = new Map(incidents.map((i) => [i.id, i]));
  const zone = new Map(sites.map((s) => [s.id, s.time_zone]));
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? 'a former user' } : null);
  return rows.map((r) => {
    const i = incident.get(r.incident_id);
    return {
      id: r.id,
      incidentId: r.incident_id,
      incidentNumber: i?.number ?? 0,
      incidentTitle: i?.title ?? '',
      clientName: i?.client ?? '',
      title: r.title,
      assignee: person(r.assignee_user_id),
      reportTo: person(r.report_to_user_id),
      dueAt: r.due_at,
      siteTimeZone:
        (r.site_id ? zone.get(r.site_id) : undefined) ??
        firstSites.find((s) => s.incident_id === r.incident_id)?.time_zone ??
        null,
      status: r.status as TaskStatus,
      outcome: r.outcome,
      overdue: isOverdue(r, now),
      statusAt: r.status_at,
      statusBy: person(r.status_by),
      createdAt: r.created_at,
    };
  });
}

/** An incident's tasks: by due time (none last), then as they were added. */
export async function tasksOfIncident(ctx: AppContext, incidentId: string): Promise<Task[]> {
  const db = ctx.db.kysely;
  const rows = await db
    .selectFrom('tasks')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy((eb) => eb.case().when('due_at', 'is', null).then(1).else(0).end())
    .orderBy('due_at')
    .orderBy('created_at')
    .execute();
  return presentTasks(db, rows, ctx.clock.now().toISOString());
}

/** Open and overdue tasks per incident, for lists. */
export async function taskCounts(
  db: Kdb,
  incidentIds: string[],
  now: string,
): Promise<Map<string, { open: number; overdue: number }>> {
  const rows = await db
    .selectFrom('tasks')
    .select(['incident_id', 'status', 'due_at'])
    .where('incident_id', 'in', incidentIds)
    .where('status', '!=', 'done')
    .execute();
  const counts = new Map<string, { open: number; overdue: number }>();
  for (const r of rows) {
    const c = counts.get(r.incident_id) ?? { open: 0, overdue: 0 };
    c.open++;
    if (isOverdue(r, now)) c.overdue++;
    counts.set(r.incident_id, c);
  }
  return counts;
}

/** "My tasks": what is due next for the actor, across incidents (overdue first, then by due time). */
export async function myTasks(ctx: AppContext, actor: Actor, status: 'open' | 'all'): Promise<{ items: Task[] }> {
  if (!actor.userId || actor.role === 'client') return { items: [] };
  let q = ctx.db.kysely.selectFrom('tasks').selectAll().where('assignee_user_id', '=', actor.userId);
  if (status === 'open') q = q.where('status', '!=', 'done');
  const rows = await q
    .orderBy((eb) => eb.case().when('due_at', 'is', null).then(1).else(0).end())
    .orderBy('due_at')
    .orderBy('created_at')
    .limit(200)
    .execute();
  return { items: await presentTasks(ctx.db.kysely, rows, ctx.clock.now().toISOString()) };
}

/** Overdue tasks across every open incident the actor may see (the Now screen). */
export async function overdueTasks(ctx: AppContext, actor: Actor): Promise<{ items: Task[] }> {
  const now = ctx.clock.now().toISOString();
  let q = ctx.db.kysely
    .selectFrom('tasks')
    .selectAll('tasks')
    .where('tasks.status', 'in', [...OPEN_TASK_STATUSES])
    .where('tasks.due_at', '<', now);
  if (actor.role === 'client') q = q.where('tasks.client_id', '=', actor.clientId ?? '');
  const rows = await q.orderBy('tasks.due_at').limit(100).execute();
  return { items: await presentTasks(ctx.db.kysely, rows, now) };
}
