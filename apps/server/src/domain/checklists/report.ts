import type { ClientUpdate, Run, SendClientUpdateRequest, UpdateDraft } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { notFound } from '../../http/errors.js';
import { isoNow } from '../../lib/clock.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { reportLinks } from '../reports/report-links.js';
import { resolveShareLink } from '../share-links/links.js';
import { draftUpdate } from '../updates/draft.js';
import { sendClientUpdate } from '../updates/send.js';
import { loadRun, visibleRun } from './run-queries.js';

const OUTCOME: Record<Run['status'], string> = {
  running: 'in progress',
  passed: 'everything passed',
  passed_with_notes: 'everything passed, with notes',
  failed: 'some steps need attention',
};

/** The {result} of a checklist report: the outcome, then one line per step that needs attention or has a note. */
export function resultText(run: Run): string {
  const attention = run.steps.filter((s) => s.status !== 'passed' || s.note);
  return [
    `${run.templateName}: ${OUTCOME[run.status]} (${run.steps.filter((s) => s.status === 'passed').length} of ${run.steps.length} steps passed)`,
    ...attention.map(
      (s) => `- ${s.title}: ${[s.message, s.note].filter(Boolean).join(' — ') || s.status.replace('_', ' ')}`,
    ),
  ].join('\n');
}

/** A checklist-report template filled in for this run's client and site, to edit before sending. */
export async function draftRunReport(
  ctx: AppContext,
  actor: Actor,
  runId: string,
  templateId: string,
): Promise<UpdateDraft> {
  assertStaffWrite(actor);
  await visibleRun(ctx.db.kysely, actor, runId);
  const run = await loadRun(ctx.db.kysely, runId);
  return draftUpdate(
    ctx.db.kysely,
    actor,
    templateId,
    { clientId: run.clientId, siteIds: [run.siteId], values: { checklist: run.templateName, result: resultText(run) } },
    isoNow(ctx.clock),
    'checklist_report',
  );
}

/** Sends the run's report to the client's contacts as an update (and on the run's incident's timeline). */
export async function sendRunReport(
  ctx: AppContext,
  actor: Actor,
  runId: string,
  input: SendClientUpdateRequest,
): Promise<ClientUpdate> {
  assertStaffWrite(actor);
  const run = await visibleRun(ctx.db.kysely, actor, runId);
  return sendClientUpdate(ctx, actor, {
    clientId: run.client_id,
    subject: input.subject,
    body: input.body,
    incidentId: run.incident_id,
    checklistRunId: run.id,
    contactIds: input.contactIds,
  });
}

/** A run's report links (staff) and a new secret, revocable one for someone without an account. */
export const runReportLinks = reportLinks({
  kind: 'checklist_report',
  entity: 'checklist_run',
  async find(db, actor, id) {
    const run = await visibleRun(db, actor, id);
    return { id: run.id, clientId: run.client_id, report: 'Checklist report' };
  },
});

/** The report a shared link opens; 404 for a wrong, revoked or other kind of link alike. */
export async function sharedRunReport(ctx: AppContext, token: string): Promise<Run> {
  const found = await resolveShareLink(ctx.db.kysely, token, 'checklist_report', isoNow(ctx.clock));
  if (!found) throw notFound('The report');
  return loadRun(ctx.db.kysely, found.subjectId);
}
