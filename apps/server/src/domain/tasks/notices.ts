import type { Kdb } from '../../db/database.js';
import type { TasksTable } from '../../db/schema.js';
import { notifyUser } from '../escalation/ports.js';
import { cancelPending } from '../notify/page.js';
import { formatDue } from './due.js';

/**
 * What a task tells people: its assignee when given it, its assignee again at the due time (the reminder is an
 * outbox row due then — durable like an escalation step, sent by the outbox worker, cancelled when the task
 * moves), and its "report to" colleague when it is done or blocked.
 */

export interface TaskContext {
  incidentNumber: number;
  clientName: string;
  siteTimeZone: string | null;
  /** A signed link that opens the incident. */
  open: string;
}

const subjectOf = (task: Pick<TasksTable, 'id'>) => ({ type: 'task' as const, id: task.id });

function where(ctx: TaskContext) {
  return `Incident #${ctx.incidentNumber}, ${ctx.clientName}`;
}

export async function tellAssigned(
  trx: Kdb,
  task: TasksTable,
  ctx: TaskContext,
  byName: string,
  now: string,
): Promise<void> {
  if (!task.assignee_user_id) return;
  await notifyUser(trx, {
    userId: task.assignee_user_id,
    subject: subjectOf(task),
    round: `assigned:${now}`,
    message: {
      title: `Task for you: ${task.title}`,
      body: `${where(ctx)}. From ${byName}.${task.due_at ? ` Due ${formatDue(task.due_at, ctx.siteTimeZone)}.` : ''}`,
      client: ctx.clientName,
      links: { open: ctx.open },
    },
    urgency: 'high',
    now,
  });
}

/**
 * The reminder at the due time, for the task as it is now: earlier reminders not sent yet are cancelled, and a
 * new one is queued when the task is still open, has an assignee and a due time.
 */
export async function scheduleReminder(trx: Kdb, task: TasksTable, ctx: TaskContext, now: string): Promise<void> {
  await cancelReminders(trx, task, now);
  if (!task.assignee_user_id || !task.due_at || task.status === 'done' || task.status === 'blocked') return;
  await notifyUser(trx, {
    userId: task.assignee_user_id,
    subject: subjectOf(task),
    round: `reminder:${task.due_at}:${now}`,
    message: {
      title: `Due now: ${task.title}`,
      body: `${where(ctx)}. Due ${formatDue(task.due_at, ctx.siteTimeZone)}.`,
      client: ctx.clientName,
      since: task.due_at,
      links: { open: ctx.open },
    },
    urgency: 'high',
    notBefore: task.due_at,
    now,
  });
}

async function cancelReminders(trx: Kdb, task: TasksTable, now: string): Promise<void> {
  await cancelPending(trx, subjectOf(task), now, { roundLike: 'reminder:%' });
}

/** Done or blocked: the "report to" colleague hears the outcome (not when they marked it themselves). */
export async function tellReportTo(
  trx: Kdb,
  task: TasksTable,
  ctx: TaskContext,
  by: { id: string | null; name: string },
  now: string,
): Promise<void> {
  if (!task.report_to_user_id || task.report_to_user_id === by.id) return;
  const what = task.status === 'done' ? 'Done' : 'Blocked';
  await notifyUser(trx, {
    userId: task.report_to_user_id,
    subject: subjectOf(task),
    round: `${task.status}:${now}`,
    message: {
      title: `${what}: ${task.title}`,
      body: `${by.name}: ${task.outcome || '(no outcome note)'}`,
      lines: [where(ctx)],
      client: ctx.clientName,
      links: { open: ctx.open },
    },
    urgency: task.status === 'blocked' ? 'high' : 'low',
    now,
  });
}
