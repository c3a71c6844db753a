import type { AppContext } from '../../context.js';
import type { ChecklistSchedulesTable } from '../../db/schema.js';
import { isoNow } from '../../lib/clock.js';
import { publicBase } from '../alerts/links.js';
import { clearSystemAlert, raiseSystemAlert } from '../alerts/raise.js';
import { notifyUser } from '../notify/page.js';
import { wakeOutbox } from '../notify/wake.js';
import { onCallAt } from '../oncall/who.js';
import { insertRun } from './runs.js';
import { nextRunOf } from './schedules.js';

/**
 * Claims a due schedule and starts its run, in one transaction: the claim moves `next_run_at` on with a
 * conditional update, so when several hub processes find the same due row only one wins and starts a
 * run; the others change nothing. Answers the new run's id, or null when another process had it.
 */
export async function startScheduledRun(ctx: AppContext, schedule: ChecklistSchedulesTable): Promise<string | null> {
  const now = isoNow(ctx.clock);
  const runId = await ctx.db.kysely.transaction().execute(async (trx) => {
    const site = await trx.selectFrom('sites').selectAll().where('id', '=', schedule.site_id).executeTakeFirst();
    const template = await trx
      .selectFrom('checklist_templates')
      .selectAll()
      .where('id', '=', schedule.template_id)
      .executeTakeFirst();
    const next =
      site && template && !template.archived_at ? nextRunOf(schedule.cron, site.time_zone, new Date(now)) : null;
    const claimed = await trx
      .updateTable('checklist_schedules')
      .set({ next_run_at: next, updated_at: now })
      .where('id', '=', schedule.id)
      .where('next_run_at', '=', schedule.next_run_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1 || !site || !template || template.archived_at) return null;
    const id = await insertRun(trx, {
      template,
      site,
      startedBy: null,
      incidentId: null,
      scheduleId: schedule.id,
      now,
    });
    await trx.updateTable('checklist_schedules').set({ last_run_id: id }).where('id', '=', schedule.id).execute();
    return id;
  });
  if (runId)
    ctx.bus.publish({ entity: 'checklist_run', id: runId, action: 'created', clientId: schedule.client_id, at: now });
  return runId;
}

/**
 * Once a scheduled run's automatic part is done: tells the named people (or whoever is on call), with the
 * manual steps left for a person, and raises an alert when an automatic step failed (a passing run clears
 * it). Reported once: `reported_at` is set by a conditional update in the same transaction.
 */
export async function reportScheduledRun(ctx: AppContext, runId: string): Promise<boolean> {
  const now = ctx.clock.now();
  const iso = now.toISOString();
  const queued = await ctx.db.kysely.transaction().execute(async (trx) => {
    const run = await trx
      .selectFrom('checklist_runs')
      .innerJoin('checklist_schedules', 'checklist_schedules.id', 'checklist_runs.schedule_id')
      .innerJoin('checklist_templates', 'checklist_templates.id', 'checklist_runs.template_id')
      .innerJoin('sites', 'sites.id', 'checklist_runs.site_id')
      .innerJoin('clients', 'clients.id', 'checklist_runs.client_id')
      .select([
        'checklist_runs.id',
        'checklist_runs.client_id',
        'checklist_runs.site_id',
        'checklist_runs.schedule_id',
        'checklist_runs.started_at',
        'checklist_schedules.notify_user_ids_json',
        'checklist_schedules.oncall_schedule_id',
        'checklist_templates.name as template_name',
        'sites.name as site_name',
        'clients.name as client_name',
      ])
      .where('checklist_runs.id', '=', runId)
      .executeTakeFirst();
    if (!run?.schedule_id) return false;
    const claimed = await trx
      .updateTable('checklist_runs')
      .set({ reported_at: iso })
      .where('id', '=', runId)
      .where('reported_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return false;
    const steps = await trx
      .selectFrom('checklist_run_steps')
      .select(['title', 'kind', 'status', 'message'])
      .where('run_id', '=', runId)
      .orderBy('position')
      .execute();
    const automatic = steps.filter((s) => s.kind !== 'manual');
    const failed = automatic.filter((s) => s.status !== 'passed');
    const manual = steps.filter((s) => s.kind === 'manual' && s.status === 'pending');
    const where = `"${run.template_name}" at ${run.site_name}`;
    const title = failed.length
      ? `Checklist ${where}: ${failed.length} of ${automatic.length} automatic steps failed`
      : `Checklist ${where}: all ${automatic.length} automatic steps passed`;
    const lines = [
      ...failed.map((s) => `✗ ${s.title}: ${s.message}`),
      ...(manual.length ? [`${manual.length} manual step${manual.length === 1 ? '' : 's'} left for a person`] : []),
    ];
    const message = {
      title,
      body: failed.length ? 'Open the run to see each step.' : 'Open the run to tick the manual steps.',
      lines,
      links: { open: `${publicBase(ctx)}/checklist-runs/${runId}` },
      client: run.client_name,
      site: run.site_name,
      since: run.started_at,
    };
    const named = JSON.parse(run.notify_user_ids_json) as string[];
    const recipients = named.length
      ? named
      : run.oncall_schedule_id
        ? await onCallAt(trx, run.oncall_schedule_id, now)
        : [];
    for (const userId of new Set(recipients))
      await notifyUser(trx, {
        userId,
        subject: { type: 'checklist_run', id: runId },
        round: 'result',
        message,
        urgency: failed.length ? 'high' : 'low',
        now,
      });
    if (failed.length)
      await raiseSystemAlert(trx, {
        kind: 'checklist',
        dedupeKey: run.schedule_id,
        title,
        reason: lines.join('\n').slice(0, 2000),
        clientId: run.client_id,
        siteId: run.site_id,
        now: iso,
      });
    else
      await clearSystemAlert(trx, {
        kind: 'checklist',
        dedupeKey: run.schedule_id,
        reason: `Checklist ${where} passed its automatic steps`,
        now: iso,
      });
    return true;
  });
  if (queued) wakeOutbox(ctx.bus);
  return queued;
}
