import { ClientUpdate, Id, IdParams, Run, SendClientUpdateRequest, UpdateDraft } from '@afterhours/shared';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { draftRunReport, runReportLinks, sendRunReport, sharedRunReport } from '../../../domain/checklists/report.js';
import { actorOf } from '../../authenticate.js';
import type { ZodApp } from '../../zod-app.js';
import { reportLinkRoutes, type SharedReportKind, sharedReportRoute } from '../report-link-routes.js';
import { errors, tags } from './schema.js';

const runReports: SharedReportKind<typeof Run> = {
  tags,
  errors,
  linksPath: '/api/checklist-runs/:id/report-links',
  openPath: '/api/public/checklist-reports/:token',
  summaries: {
    list: "A run's report links, newest first, without their secrets (staff)",
    make: "A secret link to the run's report for someone without an account (staff); it works `expiresInDays` (default 30; null: until revoked); revoke it with DELETE /api/share-links/:id",
    open: 'The checklist report a shared link opens (no sign-in: the secret in the link is the credential)',
  },
  report: Run,
  list: runReportLinks.list,
  make: runReportLinks.make,
  open: sharedRunReport,
};

export async function checklistReportRoutes(app: ZodApp, ctx: AppContext) {
  app.post(
    '/api/checklist-runs/:id/report-draft',
    {
      schema: {
        tags,
        summary: "A checklist-report template filled in for the run's client: {checklist} and {result} from the run",
        params: IdParams,
        body: z.strictObject({ templateId: Id }),
        response: { 200: UpdateDraft, ...errors },
      },
    },
    async (request) => draftRunReport(ctx, actorOf(request), request.params.id, request.body.templateId),
  );

  app.post(
    '/api/checklist-runs/:id/updates',
    {
      schema: {
        tags,
        summary: "Send the run's report to the client's contacts as an update (e-mail or SMS as each prefers)",
        params: IdParams,
        body: SendClientUpdateRequest,
        response: { 201: ClientUpdate, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await sendRunReport(ctx, actorOf(request), request.params.id, request.body)),
  );

  reportLinkRoutes(app, ctx, runReports);
  sharedReportRoute(app, ctx, runReports);
}
