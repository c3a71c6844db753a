import {
  ShareLinkRequest,
  CreatedShareLink,
  ErrorBody,
  IdParams,
  IncidentReport,
  Ok,
  ShareLinkList,
  ShareTokenParams,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { incidentReport, sharedIncidentReport } from '../../domain/reports/incident-report.js';
import { incidentReportLinks, revokeReportLink, shareIncidentReport } from '../../domain/reports/report-links.js';
import { actorOf } from '../authenticate.js';
import { shareLinkDays } from '../../domain/share-links/links.js';
import { publicHubUrl } from '../public-url.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['reports'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

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

  app.get(
    '/api/incidents/:id/report-links',
    {
      schema: {
        tags,
        summary: "An incident's report links, newest first, without their secrets (staff)",
        params: IdParams,
        response: { 200: ShareLinkList, ...errors },
      },
    },
    async (request) => ({ items: await incidentReportLinks(ctx, actorOf(request), request.params.id) }),
  );

  app.post(
    '/api/incidents/:id/report-links',
    {
      schema: {
        tags,
        summary:
          "A secret link to the incident's report for someone without an account (staff); the URL is shown once; it works `expiresInDays` (default 30; null: until revoked)",
        params: IdParams,
        body: ShareLinkRequest,
        response: { 201: CreatedShareLink, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await shareIncidentReport(
            ctx,
            actorOf(request),
            request.params.id,
            publicHubUrl(ctx, request).url,
            shareLinkDays(request.body),
          ),
        ),
  );

  app.delete(
    '/api/share-links/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a report link for good (staff): it stops working at once',
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await revokeReportLink(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/public/incident-reports/:token',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The report a shared link opens (no sign-in: the secret in the link is the credential)',
        params: ShareTokenParams,
        response: { 200: IncidentReport, 400: ErrorBody, 404: ErrorBody, 410: ErrorBody },
      },
    },
    async (request, reply) => {
      // Not kept by caches or passed on as a referrer: the URL is the secret.
      reply
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .header('x-robots-tag', 'noindex');
      return sharedIncidentReport(ctx, request.params.token);
    },
  );
}
