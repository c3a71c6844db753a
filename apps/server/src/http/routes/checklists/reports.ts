import {
  ShareLinkRequest,
  ClientUpdate,
  CreatedShareLink,
  ErrorBody,
  Id,
  IdParams,
  Run,
  SendClientUpdateRequest,
  ShareLinkList,
  ShareTokenParams,
  UpdateDraft,
} from '@afterhours/shared';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import {
  draftRunReport,
  runReportLinks,
  sendRunReport,
  shareRunReport,
  sharedRunReport,
} from '../../../domain/checklists/report.js';
import { actorOf } from '../../authenticate.js';
import { shareLinkDays } from '../../../domain/share-links/links.js';
import { publicHubUrl } from '../../public-url.js';
import type { ZodApp } from '../../zod-app.js';
import { errors, tags } from './schema.js';

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

  app.get(
    '/api/checklist-runs/:id/report-links',
    {
      schema: {
        tags,
        summary: "A run's report links, newest first, without their secrets (staff)",
        params: IdParams,
        response: { 200: ShareLinkList, ...errors },
      },
    },
    async (request) => ({ items: await runReportLinks(ctx, actorOf(request), request.params.id) }),
  );

  app.post(
    '/api/checklist-runs/:id/report-links',
    {
      schema: {
        tags,
        summary:
          "A secret link to the run's report for someone without an account (staff); it works `expiresInDays` (default 30; null: until revoked); revoke it with DELETE /api/share-links/:id",
        params: IdParams,
        body: ShareLinkRequest,
        response: { 201: CreatedShareLink, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await shareRunReport(
            ctx,
            actorOf(request),
            request.params.id,
            publicHubUrl(ctx, request).url,
            shareLinkDays(request.body),
          ),
        ),
  );

  app.get(
    '/api/public/checklist-reports/:token',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The checklist report a shared link opens (no sign-in: the secret in the link is the credential)',
        params: ShareTokenParams,
        response: { 200: Run, 400: ErrorBody, 404: ErrorBody, 410: ErrorBody },
      },
    },
    async (request, reply) => {
      // Not kept by caches or passed on as a referrer: the URL is the secret.
      reply
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .header('x-robots-tag', 'noindex');
      return sharedRunReport(ctx, request.params.token);
    },
  );
}
