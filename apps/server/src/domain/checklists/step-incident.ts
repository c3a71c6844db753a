import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import { conflict, notFound } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { openIncidentOfSite } from '../incidents/membership.js';
import { openIncidentIn, retryOnNumberClash } from '../incidents/open.js';
import { addTimelineEntry, linesAbout } from '../incidents/timeline.js';
import { loadRun, visibleRun } from './run-queries.js';

export interface StepIncident {
  incidentId: string;
  number: number;
  /** Whether a new incident was opened (else the step joined the run's or the site's open one). */
  opened: boolean;
}

/**
 * A failed step becomes part of an incident in one tap: the run's own incident, else the site's open one,
 * else a new incident opened by the person tapping (acknowledged: they have it in hand). The step goes on
 * the incident's timeline, and the run is linked to the incident. Idempotent: a second tap, or two people
 * tapping at once, answer the same incident with one line, because everything happens in one transaction that
 * first takes the run's row (a row lock on PostgreSQL; SQLite has one writer) and then looks for the line.
 */
export async function stepToIncident(
  ctx: AppContext,
  actor: Actor,
  runId: string,
  stepId: string,
): Promise<StepIncident> {
  assertStaffWrite(actor);
  const db = ctx.db.kysely;
  await visibleRun(db, actor, runId);
  const run = await loadRun(db, runId);
  const step = run.steps.find((s) => s.id === stepId);
  if (!step) throw notFound('The step');
  if (step.status !== 'failed' && step.status !== 'not_done')
    throw conflict('Only a step that failed or was not done can open an incident');
  const what = `"${step.title}" ${step.status === 'failed' ? 'failed' : 'was not done'} at ${run.siteName}`;
  const detail = [step.message, step.note].filter(Boolean).join(' — ');
  const done = await retryOnNumberClash(() =>
    change(ctx, actor, async (tx) => {
      await tx.db
        .updateTable('checklist_runs')
        .set((eb) => ({ incident_id: eb.ref('incident_id') }))
        .where('id', '=', runId)
        .execute();
      const row = await tx.db
        .selectFrom('checklist_runs')
        .select('incident_id')
        .where('id', '=', runId)
        .executeTakeFirstOrThrow();
      if (row.incident_id && (await stepLine(tx.db, row.incident_id, runId, stepId)))
        return { incidentId: row.incident_id, opened: false };
      let incidentId = row.incident_id ?? (await openIncidentOfSite(tx.db, run.siteId));
      const opened = incidentId === null;
      if (!incidentId)
        incidentId = await openIncidentIn(tx, {
          clientId: run.clientId,
          siteIds: [run.siteId],
          systemIds: [],
          title: `${step.title}: ${step.status === 'failed' ? 'failed' : 'not done'} at ${run.siteName}`.slice(0, 200),
          summary: `Checklist "${run.templateName}": ${what}${detail ? `. ${detail}` : ''}`.slice(0, 5000),
          severity: 'minor',
          acknowledge: true,
        });
      const id = incidentId;
      await tx.db
        .updateTable('checklist_runs')
        .set({ incident_id: id })
        .where('id', '=', runId)
        .where('incident_id', 'is', null)
        .execute();
      await addTimelineEntry(tx.db, {
        incidentId: id,
        kind: 'checklist',
        at: tx.now,
        actorUserId: actor.userId,
        text: `"${run.templateName}": ${what}${detail ? ` (${detail})` : ''}`.slice(0, 2000),
        refType: 'checklist_run',
        refId: runId,
        data: { stepId, status: step.status },
      });
      await tx.audit({
        action: 'checklist.incident',
        entityType: 'checklist_run',
        entityId: runId,
        clientId: run.clientId,
        summary: `Checklist step ${what}: ${opened ? 'incident opened' : 'added to the open incident'}`,
      });
      tx.emit({ entity: 'incident', id, action: 'updated', clientId: run.clientId });
      tx.emit({ entity: 'checklist_run', id: runId, action: 'updated', clientId: run.clientId });
      return { incidentId: id, opened };
    }),
  );
  const incident = await db
    .selectFrom('incidents')
    .select('number')
    .where('id', '=', done.incidentId)
    .executeTakeFirstOrThrow();
  return { ...done, number: incident.number };
}

/** Whether the step is already on the incident's timeline (a tap before this one put it there). */
async function stepLine(db: Kdb, incidentId: string, runId: string, stepId: string): Promise<boolean> {
  const lines = await linesAbout(db, incidentId, 'checklist_run', runId);
  return lines.some((l) => l.data_json !== null && (JSON.parse(l.data_json) as { stepId?: string }).stepId === stepId);
}
