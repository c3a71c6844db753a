import { ErrorBody, IdParams, IncidentReport } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { incidentReport, sharedIncidentReport } from '../../domain/reports/incident-report.js';
import { incidentReportLinks } from '../../domain/reports/report-links.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';
import {
  reportLinkRoutes,
  revokeReportLinkRoute,
  type SharedReportKind,
  sharedReportRoute,
} from './report-link-routes.js';

const tags = ['reports'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

const incidentReports: SharedReportKind<typeof IncidentReport> = {
  tags,
  errors,
  linksPath: '/api/incidents/:id/report-links',
  openPath: '/api/public/incident-reports/:token',
  summaries: {
    list: "An incident's report links, newest first, without their secrets (staff)",
    make: "A secret link to the incident's report for someone without an account (staff); the URL is shown once; it works `expiresInDays` (default 30; null: until revoked)",
    open: 'The report a shared link opens (no sign-in: the secret in the link is the credential)',
  },
  report: IncidentReport,
  list: incidentReportLinks.list,
  make: incidentReportLinks.make,
  open: sharedIncidentReport,
};

export async function reportRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/incidents/:id/report',
    {
      schema: {
        tags,
        summary:
          "An incident's report as the client reads it: what happened, what was done and when, systems now, response times",
        params: IdParams,
        response: { 200: IncidentReport, ...errors },
      },
    },
    async (request) => incidentReport(ctx, actorOf(request), request.params.id),
  );

  reportLinkRoutes(app, ctx, incidentReports);
  revokeReportLinkRoute(app, ctx, incidentReports);
  sharedReportRoute(app, ctx, incidentReports);
}
