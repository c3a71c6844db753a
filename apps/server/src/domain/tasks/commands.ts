import type { ChangeTaskRequest, CreateTaskRequest, Task } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { IncidentsTable, TasksTable } from '../../db/schema.js';
import { badInput, conflict, notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import { openLink } from '../alerts/links.js';
import { userNames } from '../auth/users.js';
import type { Actor } from '../auth/actor.js';
import { assertCanSeeClient, assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { wakeOutbox } from '../escalation/ports.js';
import { assertColleague, visibleIncident } from '../incidents/access.js';
import { addTimelineEntry } from '../incidents/timeline.js';
import { formatDue } from './due.js';
import { scheduleReminder, type TaskContext, tellAssigned, tellReportTo } from './notices.js';
import { presentTasks } from './queries.js';

function assertChangeable(incident: IncidentsTable): void {
  if (incident.status === 'resolved')
    throw conflict(`Incident #${incident.number} is resolved: reopen it to change its tasks`);
}

/** The time zone a task's due time is shown in: its site's, else the incident's first site's. */
async function taskContext(
  ctx: AppContext,
  db: Kdb,
  incident: IncidentsTable,
  siteId: string | null,
): Promise<TaskContext> {
  const client = await db
    .selectFrom('clients')
    .select('name')
    .where('id', '=', incident.client_id)
    .executeTakeFirstOrThrow();
  const site = await db
    .selectFrom('sites')
    .innerJoin('incident_sites', 'incident_sites.site_id', 'sites.id')
    .select('sites.time_zone')
    .where('incident_sites.incident_id', '=', incident.id)
    .orderBy((eb) =>
      eb
        .case()
        .when('sites.id', '=', siteId ?? '')
        .then(0)
        .else(1)
        .end(),
    )
    .orderBy('incident_sites.added_at')
    .executeTakeFirst();
  const own = siteId
    ? await db.selectFrom('sites').select('time_zone').where('id', '=', siteId).executeTakeFirst()
    : undefined;
  return {
    incidentNumber: incident.number,
    clientName: client.name,
    siteTimeZone: own?.time_zone ?? site?.time_zone ?? null,
    open: openLink(ctx, { type: 'incident', id: incident.id }),
  };
}

async function present(ctx: AppContext, id: string): Promise<Task> {
  const row = await ctx.db.kysely.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return (await presentTasks(ctx.db.kysely, [row], ctx.clock.now().toISOString()))[0]!;
}

/** A task of the weekend plan: for a colleague, due at a time, reporting to another; on the timeline. */
export async function createTask(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  input: CreateTaskRequest,
): Promise<Task> {
  assertStaffWrite(actor);
  const id = newId();
  await change(ctx, actor, async (tx) => {
    const incident = await visibleIncident(tx.db, actor, incidentId);
    assertChangeable(incident);
    const assignee = input.assigneeUserId ? await assertColleague(tx.db, input.assigneeUserId, 'assigneeUserId') : null;
    if (input.reportToUserId) await assertColleague(tx.db, input.reportToUserId, 'reportToUserId');
    if (input.siteId) {
      const site = await tx.db
        .selectFrom('sites')
        .select('client_id')
        .where('id', '=', input.siteId)
        .executeTakeFirst();
      if (site?.client_id !== incident.client_id) throw badInput({ siteId: "is not one of this client's sites" });
    }
    if (input.templateId) {
      const template = await tx.db
        .selectFrom('task_templates')
        .select('id')
        .where('id', '=', input.templateId)
        .executeTakeFirst();
      if (!template) throw badInput({ templateId: 'is not one of the firm’s task templates' });
    }
    const row: TasksTable = {
      id,
      incident_id: incidentId,
      client_id: incident.client_id,
      site_id: input.siteId,
      title: input.title,
      assignee_user_id: input.assigneeUserId,
      report_to_user_id: input.reportToUserId,
      due_at: input.dueAt ? new Date(input.dueAt).toISOString() : null,
      status: 'todo',
      outcome: '',
      template_id: input.templateId ?? null,
      created_by: actor.userId,
      created_at: tx.now,
      status_at: tx.now,
      status_by: actor.userId,
      updated_at: tx.now,
    };
    await tx.db.insertInto('tasks').values(row).execute();
    const context = await taskContext(ctx, tx.db, incident, row.site_id);
    const due = row.due_at ? `, due ${formatDue(row.due_at, context.siteTimeZone)}` : '';
    await addTimelineEntry(tx.db, {
      incidentId,
      kind: 'task',
      at: tx.now,
      actorUserId: actor.userId,
      text: `Task: ${row.title} — ${assignee ?? 'nobody yet'}${due}`,
      refType: 'task',
      refId: id,
      data: { change: 'created' },
    });
    const byName = (await userNames(tx.db, actor.userId ? [actor.userId] : [])).get(actor.userId ?? '') ?? actor.label;
    if (row.assignee_user_id !== actor.userId) await tellAssigned(tx.db, row, context, byName, tx.now);
    await scheduleReminder(tx.db, row, context, tx.now);
    await tx.audit({
      action: 'task.create',
      entityType: 'task',
      entityId: id,
      clientId: incident.client_id,
      summary: `Task "${row.title}" added to incident #${incident.number}`,
    });
    tx.emit({ entity: 'task', id, action: 'created', clientId: incident.client_id });
    tx.emit({ entity: 'incident', id: incidentId, action: 'updated', clientId: incident.client_id });
  });
  wakeOutbox(ctx.bus);
  return present(ctx, id);
}

/** Why a task's status change is refused; null when allowed. */
export function taskRefusal(from: string, to: string | undefined, outcome: string): string | null {
  if (to === 'blocked' && !outcome.trim()) return 'Say what blocks it in the outcome note';
  if (to !== undefined && to === from) return `The task is already ${to}`;
  return null;
}

/** Changes a task: status with its outcome, assignee, due time, "report to", title — each on the timeline. */
export async function changeTask(ctx: AppContext, actor: Actor, id: string, input: ChangeTaskRequest): Promise<Task> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const before = await tx.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('The task');
    assertCanSeeClient(actor, before.client_id, 'The task');
    const incident = await visibleIncident(tx.db, actor, before.incident_id);
    assertChangeable(incident);
    const outcome = input.outcome ?? before.outcome;
    const refusal = taskRefusal(before.status, input.status, outcome);
    if (refusal) throw conflict(refusal, { [input.status === 'blocked' ? 'outcome' : 'status']: refusal });
    const assignee = input.assigneeUserId ? await assertColleague(tx.db, input.assigneeUserId, 'assigneeUserId') : null;
    if (input.reportToUserId) await assertColleague(tx.db, input.reportToUserId, 'reportToUserId');
    const after: TasksTable = {
      ...before,
      title: input.title ?? before.title,
      assignee_user_id: input.assigneeUserId !== undefined ? input.assigneeUserId : before.assignee_user_id,
      report_to_user_id: input.reportToUserId !== undefined ? input.reportToUserId : before.report_to_user_id,
      due_at: input.dueAt !== undefined ? (input.dueAt ? new Date(input.dueAt).toISOString() : null) : before.due_at,
      status: input.status ?? before.status,
      outcome,
      updated_at: tx.now,
      ...(input.status ? { status_at: tx.now, status_by: actor.userId } : {}),
    };
    await tx.db.updateTable('tasks').set(after).where('id', '=', id).execute();
    const context = await taskContext(ctx, tx.db, incident, after.site_id);
    const names = await userNames(
      tx.db,
      [actor.userId, after.assignee_user_id].filter((u): u is string => !!u),
    );
    const byName = names.get(actor.userId ?? '') ?? actor.label;
    const lines: string[] = [];
    if (after.title !== before.title) lines.push(`renamed from "${before.title}"`);
    if (after.assignee_user_id !== before.assignee_user_id) lines.push(`now with ${assignee ?? 'nobody'}`);
    if (after.due_at !== before.due_at)
      lines.push(after.due_at ? `due ${formatDue(after.due_at, context.siteTimeZone)}` : 'no due time');
    if (after.report_to_user_id !== before.report_to_user_id) lines.push('report-to changed');
    if (after.status !== before.status) lines.push(after.status);
    if (after.outcome !== before.outcome && after.outcome) lines.push(`outcome: ${after.outcome}`);
    if (!lines.length) return;
    await addTimelineEntry(tx.db, {
      incidentId: before.incident_id,
      kind: 'task',
      at: tx.now,
      actorUserId: actor.userId,
      text: `Task ${after.title}: ${lines.join('; ')}`,
      refType: 'task',
      refId: id,
      data: { change: 'updated', from: before.status, to: after.status },
    });
    if (
      after.assignee_user_id &&
      after.assignee_user_id !== before.assignee_user_id &&
      after.assignee_user_id !== actor.userId
    )
      await tellAssigned(tx.db, after, context, byName, tx.now);
    if (
      after.assignee_user_id !== before.assignee_user_id ||
      after.due_at !== before.due_at ||
      after.status !== before.status ||
      after.title !== before.title
    )
      await scheduleReminder(tx.db, after, context, tx.now);
    if (after.status !== before.status && (after.status === 'done' || after.status === 'blocked'))
      await tellReportTo(tx.db, after, context, { id: actor.userId, name: byName }, tx.now);
    await tx.audit({
      action: 'task.update',
      entityType: 'task',
      entityId: id,
      clientId: before.client_id,
      summary: `Task "${after.title}": ${lines.join('; ')}`,
      before: { status: before.status, assignee: before.assignee_user_id, dueAt: before.due_at },
      after: { status: after.status, assignee: after.assignee_user_id, dueAt: after.due_at },
    });
    tx.emit({ entity: 'task', id, action: 'updated', clientId: before.client_id });
    tx.emit({ entity: 'incident', id: before.incident_id, action: 'updated', clientId: before.client_id });
  });
  wakeOutbox(ctx.bus);
  return present(ctx, id);
}
