import type { Run, RunListQuery, RunSummary, StepKind } from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { ChecklistRunsTable } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertCanSeeClient } from '../auth/policy.js';
import { visibleSite } from '../register/access.js';

/** A run the actor may see: a client account sees its own firm's runs only. */
export async function visibleRun(db: Kdb, actor: Actor, id: string): Promise<ChecklistRunsTable> {
  const row = await db.selectFrom('checklist_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The checklist run');
  assertCanSeeClient(actor, row.client_id, 'The checklist run');
  return row;
}

const runsWithNames = (db: Kdb) =>
  db
    .selectFrom('checklist_runs')
    .innerJoin('checklist_templates', 'checklist_templates.id', 'checklist_runs.template_id')
    .innerJoin('checklist_template_versions', (join) =>
      join
        .onRef('checklist_template_versions.template_id', '=', 'checklist_runs.template_id')
        .onRef('checklist_template_versions.version', '=', 'checklist_runs.template_version'),
    )
    .innerJoin('sites', 'sites.id', 'checklist_runs.site_id')
    .innerJoin('clients', 'clients.id', 'checklist_runs.client_id')
    .leftJoin('incidents', 'incidents.id', 'checklist_runs.incident_id')
    .leftJoin('users as starter', 'starter.id', 'checklist_runs.started_by')
    .leftJoin('users as finisher', 'finisher.id', 'checklist_runs.finished_by')
    .selectAll('checklist_runs')
    .select([
      'checklist_template_versions.name as template_name',
      'sites.name as site_name',
      'sites.time_zone as site_time_zone',
      'clients.name as client_name',
      'starter.name as started_by_name',
      'finisher.name as finished_by_name',
      'incidents.number as incident_number',
    ]);

type RunRow = Awaited<ReturnType<ReturnType<typeof runsWithNames>['executeTakeFirstOrThrow']>>;

function presentRun(row: RunRow): Omit<Run, 'steps'> {
  return {
    id: row.id,
    templateId: row.template_id,
    templateName: row.template_name,
    templateVersion: row.template_version,
    clientId: row.client_id,
    clientName: row.client_name,
    siteId: row.site_id,
    siteName: row.site_name,
    siteTimeZone: row.site_time_zone,
    incidentId: row.incident_id,
    incidentNumber: row.incident_number ?? null,
    scheduled: row.schedule_id !== null,
    status: row.status as Run['status'],
    startedAt: row.started_at,
    startedBy: row.started_by_name ?? (row.schedule_id ? 'Schedule' : null),
    finishedAt: row.finished_at,
    finishedBy: row.finished_by_name ?? null,
    durationS: row.finished_at ? Math.round((Date.parse(row.finished_at) - Date.parse(row.started_at)) / 1000) : null,
  };
}

export async function loadRun(db: Kdb, id: string): Promise<Run> {
  const row = await runsWithNames(db).where('checklist_runs.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('The checklist run');
  const steps = await db
    .selectFrom('checklist_run_steps')
    .leftJoin('users', 'users.id', 'checklist_run_steps.done_by')
    .selectAll('checklist_run_steps')
    .select('users.name as done_by_name')
    .where('run_id', '=', id)
    .orderBy('position')
    .execute();
  return {
    ...presentRun(row),
    steps: steps.map((s) => ({
      id: s.id,
      key: s.step_key,
      section: s.section,
      title: s.title,
      instructions: s.instructions,
      kind: s.kind as StepKind,
      targetLabel: s.target_label,
      status: s.status as Run['steps'][number]['status'],
      message: s.message,
      note: s.note,
      doneBy: s.done_by_name ?? (s.kind !== 'manual' && s.done_at ? 'Afterhours' : null),
      doneAt: s.done_at,
      hasPhoto: s.photo_id !== null,
    })),
  };
}

export async function getRun(ctx: AppContext, actor: Actor, id: string): Promise<Run> {
  await visibleRun(ctx.db.kysely, actor, id);
  return loadRun(ctx.db.kysely, id);
}

export async function listRuns(
  ctx: AppContext,
  actor: Actor,
  query: z.infer<typeof RunListQuery>,
): Promise<Array<z.infer<typeof RunSummary>>> {
  const db = ctx.db.kysely;
  let q = runsWithNames(db);
  if (query.siteId) {
    await visibleSite(db, actor, query.siteId);
    q = q.where('checklist_runs.site_id', '=', query.siteId);
  }
  if (actor.role === 'client') q = q.where('checklist_runs.client_id', '=', actor.clientId ?? '');
  if (query.status === 'open') q = q.where('checklist_runs.status', '=', 'running');
  if (query.status === 'finished') q = q.where('checklist_runs.status', '!=', 'running');
  const rows = await q.orderBy('checklist_runs.started_at', 'desc').limit(query.limit).execute();
  if (!rows.length) return [];
  const counts = await db
    .selectFrom('checklist_run_steps')
    .select(['run_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'run_id',
      'in',
      rows.map((r) => r.id),
    )
    .groupBy(['run_id', 'status'])
    .execute();
  return rows.map((row) => {
    const mine = counts.filter((c) => c.run_id === row.id);
    const sum = (pred: (s: string) => boolean) =>
      mine.filter((c) => pred(c.status)).reduce((n, c) => n + Number(c.n), 0);
    return {
      ...presentRun(row),
      total: sum(() => true),
      done: sum((s) => s !== 'pending' && s !== 'running'),
      failed: sum((s) => s === 'failed' || s === 'not_done'),
    };
  });
}
