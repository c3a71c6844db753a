import { cronProblem, nextCronTime, parseCron, type ChecklistSchedule, type ScheduleRequest } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import { badInput, notFound } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertCanSeeClient, assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { visibleSite } from '../register/access.js';
import { visibleTemplate } from './templates.js';

type Input = z.infer<typeof ScheduleRequest>;
type Shown = z.infer<typeof ChecklistSchedule>;

/** The next time a schedule fires after `after`, in its site's time zone (ISO), or null. */
export function nextRunOf(cron: string, timeZone: string, after: Date): string | null {
  return nextCronTime(parseCron(cron), after, timeZone)?.toISOString() ?? null;
}

async function validate(ctx: AppContext, actor: Actor, input: Input) {
  const db = ctx.db.kysely;
  const template = await visibleTemplate(db, actor, input.templateId);
  const site = await visibleSite(db, actor, input.siteId);
  const fields: Record<string, string> = {};
  const problem = cronProblem(input.cron);
  if (problem) fields.cron = problem;
  if (template.site_id && template.site_id !== site.id) fields.siteId = 'is not the site of this checklist';
  if (!input.notifyUserIds.length && !input.oncallScheduleId)
    fields.notifyUserIds = 'name people to tell, or an on-call schedule (oncallScheduleId)';
  if (input.notifyUserIds.length) {
    const staff = await db
      .selectFrom('users')
      .select('id')
      .where('id', 'in', input.notifyUserIds)
      .where('role', '!=', 'client')
      .execute();
    if (staff.length !== new Set(input.notifyUserIds).size)
      fields.notifyUserIds = 'names someone who is not on the staff';
  }
  if (input.oncallScheduleId) {
    const found = await db
      .selectFrom('schedules')
      .select('id')
      .where('id', '=', input.oncallScheduleId)
      .executeTakeFirst();
    if (!found) fields.oncallScheduleId = 'is not an on-call schedule';
  }
  if (Object.keys(fields).length) throw badInput(fields);
  return { template, site };
}

export async function createSchedule(ctx: AppContext, actor: Actor, input: Input): Promise<string> {
  assertStaffWrite(actor);
  const { template, site } = await validate(ctx, actor, input);
  const id = newId();
  await change(ctx, actor, async (tx) => {
    await tx.db
      .insertInto('checklist_schedules')
      .values({
        id,
        template_id: template.id,
        site_id: site.id,
        client_id: site.client_id,
        cron: input.cron,
        notify_user_ids_json: JSON.stringify(input.notifyUserIds),
        oncall_schedule_id: input.oncallScheduleId,
        enabled: input.enabled ? 1 : 0,
        next_run_at: input.enabled ? nextRunOf(input.cron, site.time_zone, new Date(tx.now)) : null,
        last_run_id: null,
        created_by: actor.userId,
        created_at: tx.now,
        updated_at: tx.now,
      })
      .execute();
    await tx.audit({
      action: 'checklist.schedule',
      entityType: 'checklist_schedule',
      entityId: id,
      clientId: site.client_id,
      summary: `Checklist "${template.name}" scheduled at ${site.name}: ${input.cron} (${site.time_zone})`,
    });
    tx.emit({ entity: 'checklist_schedule', id, action: 'created', clientId: site.client_id });
  });
  return id;
}

export async function updateSchedule(ctx: AppContext, actor: Actor, id: string, input: Input): Promise<void> {
  assertStaffWrite(actor);
  await visibleSchedule(ctx.db.kysely, actor, id);
  const { template, site } = await validate(ctx, actor, input);
  await change(ctx, actor, async (tx) => {
    await tx.db
      .updateTable('checklist_schedules')
      .set({
        template_id: template.id,
        site_id: site.id,
        client_id: site.client_id,
        cron: input.cron,
        notify_user_ids_json: JSON.stringify(input.notifyUserIds),
        oncall_schedule_id: input.oncallScheduleId,
        enabled: input.enabled ? 1 : 0,
        next_run_at: input.enabled ? nextRunOf(input.cron, site.time_zone, new Date(tx.now)) : null,
        updated_at: tx.now,
      })
      .where('id', '=', id)
      .execute();
    await tx.audit({
      action: 'checklist.schedule',
      entityType: 'checklist_schedule',
      entityId: id,
      clientId: site.client_id,
      summary: `Checklist schedule at ${site.name} changed: ${input.cron}${input.enabled ? '' : ' (off)'}`,
    });
    tx.emit({ entity: 'checklist_schedule', id, action: 'updated', clientId: site.client_id });
  });
}

export async function deleteSchedule(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertStaffWrite(actor);
  const row = await visibleSchedule(ctx.db.kysely, actor, id);
  await change(ctx, actor, async (tx) => {
    await tx.db.deleteFrom('checklist_schedules').where('id', '=', id).execute();
    await tx.audit({
      action: 'checklist.unschedule',
      entityType: 'checklist_schedule',
      entityId: id,
      clientId: row.client_id,
      summary: `Checklist schedule ${row.cron} removed`,
    });
    tx.emit({ entity: 'checklist_schedule', id, action: 'deleted', clientId: row.client_id });
  });
}

async function visibleSchedule(db: Kdb, actor: Actor, id: string) {
  const row = await db.selectFrom('checklist_schedules').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The checklist schedule');
  assertCanSeeClient(actor, row.client_id, 'The checklist schedule');
  return row;
}

export async function listSchedules(ctx: AppContext, actor: Actor, siteId?: string): Promise<Shown[]> {
  let q = ctx.db.kysely
    .selectFrom('checklist_schedules')
    .innerJoin('checklist_templates', 'checklist_templates.id', 'checklist_schedules.template_id')
    .innerJoin('sites', 'sites.id', 'checklist_schedules.site_id')
    .selectAll('checklist_schedules')
    .select(['checklist_templates.name as template_name', 'sites.name as site_name', 'sites.time_zone']);
  if (siteId) {
    await visibleSite(ctx.db.kysely, actor, siteId);
    q = q.where('checklist_schedules.site_id', '=', siteId);
  }
  if (actor.role === 'client') q = q.where('checklist_schedules.client_id', '=', actor.clientId ?? '');
  const rows = await q.orderBy('sites.name').orderBy('checklist_schedules.created_at').execute();
  return rows.map((r) => ({
    id: r.id,
    templateId: r.template_id,
    templateName: r.template_name,
    siteId: r.site_id,
    siteName: r.site_name,
    timeZone: r.time_zone,
    cron: r.cron,
    notifyUserIds: JSON.parse(r.notify_user_ids_json) as string[],
    oncallScheduleId: r.oncall_schedule_id,
    enabled: r.enabled === 1,
    nextRunAt: r.next_run_at,
    lastRunId: r.last_run_id,
  }));
}
