import {
  type CreatedShareLink,
  ShareLinkRequest,
  CreatedShareLink as CreatedShareLinkSchema,
  ErrorBody,
  IdParams,
  Ok,
  type ShareLink,
  ShareLinkList,
  ShareTokenParams,
} from '@afterhours/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../domain/auth/actor.js';
import { revokeReportLink } from '../../domain/reports/report-links.js';
import { shareLinkDays } from '../../domain/share-links/links.js';
import { actorOf } from '../authenticate.js';
import { publicHubUrl } from '../public-url.js';
import type { ZodApp } from '../zod-app.js';

/** One kind of report that staff share with a secret link: where its links live and what opens one. */
export interface SharedReportKind<Report extends z.ZodType> {
  tags: string[];
  errors: Record<number, typeof ErrorBody>;
  /** The subject's report links, e.g. `/api/incidents/:id/report-links`. */
  linksPath: string;
  /** What a link opens, without sign-in, e.g. `/api/public/incident-reports/:token`. */
  openPath: string;
  summaries: { list: string; make: string; open: string };
  report: Report;
  list(ctx: AppContext, actor: Actor, subjectId: string): Promise<ShareLink[]>;
  make(
    ctx: AppContext,
    actor: Actor,
    subjectId: string,
    publicUrl: string,
    expiresInDays: number | null,
  ): Promise<CreatedShareLink>;
  open(ctx: AppContext, token: string): Promise<z.infer<Report>>;
}

/** Lists a subject's report links (staff) and makes a new one that expires as asked. */
export function reportLinkRoutes<Report extends z.ZodType>(
  app: ZodApp,
  ctx: AppContext,
  kind: SharedReportKind<Report>,
) {
  app.get(
    kind.linksPath,
    {
      schema: {
        tags: kind.tags,
        summary: kind.summaries.list,
        params: IdParams,
        response: { 200: ShareLinkList, ...kind.errors },
      },
    },
    async (request) => ({ items: await kind.list(ctx, actorOf(request), request.params.id) }),
  );

  app.post(
    kind.linksPath,
    {
      schema: {
        tags: kind.tags,
        summary: kind.summaries.make,
        params: IdParams,
        body: ShareLinkRequest,
        response: { 201: CreatedShareLinkSchema, ...kind.errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await kind.make(
            ctx,
            actorOf(request),
            request.params.id,
            publicHubUrl(ctx, request).url,
            shareLinkDays(request.body),
          ),
        ),
  );
}

/** The report a shared link opens: no sign-in, the secret in the link is the credential. */
export function sharedReportRoute<Report extends z.ZodType>(
  app: ZodApp,
  ctx: AppContext,
  kind: SharedReportKind<Report>,
) {
  app.get(
    kind.openPath,
    {
      config: { public: true },
      schema: {
        tags: kind.tags,
        summary: kind.summaries.open,
        params: ShareTokenParams,
        // SharedReportKind ties open's answer to the schema; the route only needs it to serialise.
        response: { 200: kind.report as z.ZodType, 400: ErrorBody, 404: ErrorBody, 410: ErrorBody },
      },
    },
    async (request, reply) => {
      // Not kept by caches or passed on as a referrer: the URL is the secret.
      reply
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .header('x-robots-tag', 'noindex');
      return kind.open(ctx, request.params.token);
    },
  );
}

/** Stops any report link working (staff), whatever it opens. */
export function revokeReportLinkRoute(
  app: ZodApp,
  ctx: AppContext,
  kind: Pick<SharedReportKind<z.ZodType>, 'tags' | 'errors'>,
) {
  app.delete(
    '/api/share-links/:id',
    {
      schema: {
        tags: kind.tags,
        summary: 'Revoke a report link for good (staff): it stops working at once',
        params: IdParams,
        response: { 200: Ok, ...kind.errors },
      },
    },
    async (request) => {
      await revokeReportLink(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
}
