import type { StepKind, TemplateBody, TickRequest } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type {
  ChecklistRunStepsTable,
  ChecklistRunsTable,
  ChecklistTemplatesTable,
  SitesTable,
} from '../../db/schema.js';
import { badInput, conflict, notFound } from '../../http/errors.js';
import { isoNow } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { visibleIncident } from '../incidents/access.js';
import { addTimelineEntry } from '../incidents/timeline.js';
import { visibleSite } from '../register/access.js';
import { bindingsAt } from './bindings.js';
import { judges, type Verdict } from './judge.js';
import { visibleRun } from './run-queries.js';
import { resolveSteps, type ResolvedTarget } from './targets.js';
import { visibleTemplate } from './templates.js';

export interface StartRunInput {
  templateId: string;
  siteId: string;
  incidentId?: string | undefined;
}

/**
 * Starts a run of a template's current version at a site, by a person. Answers the run's id and the
 * promise of its automatic part, which runs in parallel after the commit and fills in live.
 */
export async function startRun(
  ctx: AppContext,
  actor: Actor,
  input: StartRunInput,
): Promise<{ runId: string; automatic: Promise<void> }> {
  assertStaffWrite(actor);
  const db = ctx.db.kysely;
  const template = await visibleTemplate(db, actor, input.templateId);
  const site = await visibleSite(db, actor, input.siteId);
  if (template.archived_at) throw conflict('This checklist is archived');
  if (template.site_id && template.site_id !== site.id)
    throw conflict(`This checklist belongs to another site`, { siteId: 'is not the site of this checklist' });
  const incident = input.incidentId ? await visibleIncident(db, actor, input.incidentId) : null;
  if (incident && incident.client_id !== site.client_id)
    throw badInput({ incidentId: `is an incident of another client than ${site.name}'s` });
  const runId = await change(ctx, actor, async (tx) => {
    const id = await insertRun(tx.db, {
      template,
      site,
      startedBy: actor.userId,
      incidentId: input.incidentId ?? null,
      scheduleId: null,
      now: tx.now,
    });
    await tx.audit({
      action: 'checklist.run',
      entityType: 'checklist_run',
      entityId: id,
      clientId: site.client_id,
      summary: `Checklist "${template.name}" started at ${site.name}`,
    });
    if (incident) {
      await addTimelineEntry(tx.db, {
        incidentId: incident.id,
        kind: 'checklist',
        at: tx.now,
        actorUserId: actor.userId,
        text: `"${template.name}" started at ${site.name}`,
        refType: 'checklist_run',
        refId: id,
      });
      tx.emit({ entity: 'incident', id: incident.id, action: 'updated', clientId: incident.client_id });
    }
    tx.emit({ entity: 'checklist_run', id, action: 'created', clientId: site.client_id });
    return id;
  });
  return { runId, automatic: runAutomaticSteps(ctx, runId) };
}

export interface NewRun {
  template: ChecklistTemplatesTable;
  site: SitesTable;
  startedBy: string | null;
  incidentId: string | null;
  scheduleId: string | null;
  now: string;
}

/**
 * Writes a run of the template's current version, in the caller's transaction: one row per step, the
 * automatic ones marked running (or failed at once when nothing at the site matches them).
 */
export async function insertRun(trx: Kdb, input: NewRun): Promise<string> {
  const { template, site, now } = input;
  const version = await trx
    .selectFrom('checklist_template_versions')
    .selectAll()
    .where('template_id', '=', template.id)
    .where('version', '=', template.version)
    .executeTakeFirstOrThrow();
  const body = JSON.parse(version.body_json) as TemplateBody;
  const resolved = await resolveSteps(trx, site, body, await bindingsAt(trx, template.id, site.id));
  const runId = newId();
  await trx
    .insertInto('checklist_runs')
    .values({
      id: runId,
      template_id: template.id,
      template_version: version.version,
      client_id: site.client_id,
      site_id: site.id,
      incident_id: input.incidentId,
      schedule_id: input.scheduleId,
      status: 'running',
      started_at: now,
      started_by: input.startedBy,
      finished_at: null,
      finished_by: null,
      reported_at: null,
    })
    .execute();
  const rows: ChecklistRunStepsTable[] = resolved.map((r, position) => ({
    id: newId(),
    run_id: runId,
    position,
    section: r.section,
    step_key: r.step.key,
    title: r.step.title,
    instructions: r.step.instructions,
    kind: r.step.kind,
    target_json: JSON.stringify(r.target),
    target_label: r.label,
    status: r.step.kind === 'manual' ? 'pending' : r.problem ? 'failed' : 'running',
    message: r.problem ?? '',
    note: '',
    done_by: null,
    done_at: r.problem ? now : null,
    started_at: r.step.kind === 'manual' || r.problem ? null : now,
    updated_at: now,
    photo_id: null,
  }));
  if (rows.length) await trx.insertInto('checklist_run_steps').values(rows).execute();
  return runId;
}

/**
 * Judges every automatic step of a run still marked running, all at once; each result is written (and
 * announced live) as soon as it is known. A step a person has ruled on meanwhile is left as they said.
 */
export async function runAutomaticSteps(ctx: AppContext, runId: string): Promise<void> {
  const run = await ctx.db.kysely.selectFrom('checklist_runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (!run) return;
  const steps = await ctx.db.kysely
    .selectFrom('checklist_run_steps')
    .selectAll()
    .where('run_id', '=', runId)
    .where('status', '=', 'running')
    .execute();
  await Promise.all(steps.map((step) => judgeStep(ctx, run, step)));
}

async function judgeStep(ctx: AppContext, run: ChecklistRunsTable, step: ChecklistRunStepsTable): Promise<void> {
  const kind = step.kind as Exclude<StepKind, 'manual'>;
  const target = JSON.parse(step.target_json) as ResolvedTarget;
  let verdict: Verdict;
  try {
    verdict = await judges[kind](ctx, target, ctx.clock.now());
  } catch (error) {
    ctx.log.warn({ err: error, runId: run.id, step: step.step_key }, 'checklist step could not be judged');
    verdict = {
      status: 'failed',
      message: `Could not be judged: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const now = isoNow(ctx.clock);
  const updated = await ctx.db.kysely
    .updateTable('checklist_run_steps')
    .set({ status: verdict.status, message: verdict.message, done_at: now, updated_at: now })
    .where('id', '=', step.id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0)
    ctx.bus.publish({ entity: 'checklist_run', id: run.id, action: 'updated', clientId: run.client_id, at: now });
}

/**
 * A person's tick on a step (done, failed, not done, or undone), with a note. Each tick carries a key
 * made on the phone: the same tick sent again (it was queued offline and the first send did arrive) is
 * recorded once and changes nothing the second time. Answers whether it was applied now.
 */
export async function tickStep(
  ctx: AppContext,
  actor: Actor,
  runId: string,
  stepId: string,
  input: z.infer<typeof TickRequest>,
): Promise<boolean> {
  assertStaffWrite(actor);
  const run = await visibleRun(ctx.db.kysely, actor, runId);
  return change(ctx, actor, async (tx) => {
    const step = await tx.db
      .selectFrom('checklist_run_steps')
      .selectAll()
      .where('id', '=', stepId)
      .where('run_id', '=', runId)
      .executeTakeFirst();
    if (!step) throw notFound('The step');
    const inserted = await tx.db
      .insertInto('checklist_ticks')
      .values({ run_id: runId, tick_key: input.tickKey, step_id: stepId, user_id: actor.userId, at: tx.now })
      .onConflict((oc) => oc.columns(['run_id', 'tick_key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
    const current = await tx.db
      .selectFrom('checklist_runs')
      .select('status')
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    if (current.status !== 'running') throw conflict('This run has finished; start a new one to check again');
    // A tick made offline keeps the time it was made, unless the phone's clock claims the future.
    const madeAt = input.at ? Date.parse(input.at) : Number.NaN;
    const at =
      madeAt < Date.parse(tx.now) && madeAt > Date.parse(run.started_at) ? new Date(madeAt).toISOString() : tx.now;
    const undone = input.status === 'pending';
    await tx.db
      .updateTable('checklist_run_steps')
      .set({
        status: undone ? (step.kind === 'manual' ? 'pending' : step.status) : input.status,
        note: input.note,
        done_by: undone ? null : actor.userId,
        done_at: undone ? null : at,
        updated_at: tx.now,
      })
      .where('id', '=', stepId)
      .execute();
    tx.emit({ entity: 'checklist_run', id: runId, action: 'updated', clientId: run.client_id });
    return true;
  });
}

/** The outcome of a run from its steps: any step failed or not done fails it; a note makes it "with notes". */
export function outcomeOf(steps: Array<Pick<ChecklistRunStepsTable, 'status' | 'note'>>) {
  if (steps.some((s) => s.status !== 'passed')) return 'failed' as const;
  if (steps.some((s) => s.note.trim() !== '')) return 'passed_with_notes' as const;
  return 'passed' as const;
}

/** Ends a run: steps left open count as not done. */
export async function finishRun(ctx: AppContext, actor: Actor, runId: string): Promise<void> {
  assertStaffWrite(actor);
  const run = await visibleRun(ctx.db.kysely, actor, runId);
  await change(ctx, actor, async (tx) => {
    await tx.db
      .updateTable('checklist_run_steps')
      .set({ status: 'not_done', message: 'Left open when the run was finished', updated_at: tx.now })
      .where('run_id', '=', runId)
      .where('status', 'in', ['pending', 'running'])
      .execute();
    const steps = await tx.db
      .selectFrom('checklist_run_steps')
      .select(['status', 'note'])
      .where('run_id', '=', runId)
      .execute();
    const status = outcomeOf(steps);
    const done = await tx.db
      .updateTable('checklist_runs')
      .set({ status, finished_at: tx.now, finished_by: actor.userId })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw conflict('This run has already finished');
    if (run.incident_id) {
      const passed = steps.filter((s) => s.status === 'passed').length;
      await addTimelineEntry(tx.db, {
        incidentId: run.incident_id,
        kind: 'checklist',
        at: tx.now,
        actorUserId: actor.userId,
        text: `Finished: ${status.replaceAll('_', ' ')} (${passed} of ${steps.length} steps passed)`,
        refType: 'checklist_run',
        refId: runId,
      });
      tx.emit({ entity: 'incident', id: run.incident_id, action: 'updated', clientId: run.client_id });
    }
    await tx.audit({
      action: 'checklist.finish',
      entityType: 'checklist_run',
      entityId: runId,
      clientId: run.client_id,
      summary: `Checklist run finished: ${status.replaceAll('_', ' ')}`,
    });
    tx.emit({ entity: 'checklist_run', id: runId, action: 'updated', clientId: run.client_id });
  });
}
