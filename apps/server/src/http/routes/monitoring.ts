import {
  ErrorBody,
  SiteStatus,
  StateChangeList,
  StateChangeQuery,
  StatusQuery,
  StatusSummary,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { stateChanges } from '../../domain/monitoring/history-queries.js';
import { siteStatus } from '../../domain/monitoring/status.js';
import type { StatusOptions } from '../../domain/monitoring/status-frame.js';
import { statusSummary } from '../../domain/monitoring/status-summary.js';
import { isoNow } from '../../lib/clock.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['monitoring'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export async function monitoringRoutes(app: ZodApp, ctx: AppContext) {
  const options = (q: {
    clientId?: string | undefined;
    siteId?: string | undefined;
    problemsOnly: 'true' | 'false';
    q?: string | undefined;
  }): StatusOptions => ({
    clientId: q.clientId,
    siteId: q.siteId,
    problemsOnly: q.problemsOnly === 'true',
    q: q.q,
  });

  app.get(
    '/api/status',
    {
      schema: {
        tags,
        summary:
          'Every client and site with its checks by state, problems first; systems, checks, last results and sparklines (the site screen asks for one site with `siteId`)',
        querystring: StatusQuery,
        response: { 200: SiteStatus, ...errors },
      },
    },
    async (request) => siteStatus(ctx.db.kysely, actorOf(request), isoNow(ctx.clock), options(request.query)),
  );

  app.get(
    '/api/status/summary',
    {
      schema: {
        tags,
        summary:
          'The Now screen: every client and site with counts by state, problems first, and only the checks down, degraded or unknown (reason and cause); no sparklines',
        querystring: StatusQuery,
        response: { 200: StatusSummary, ...errors },
      },
    },
    async (request) => statusSummary(ctx.db.kysely, actorOf(request), isoNow(ctx.clock), options(request.query)),
  );

  app.get(
    '/api/state-changes',
    {
      schema: {
        tags,
        summary:
          'Changes of state of checks and sites, newest first; `rootsOnly` leaves out the ones that follow from another',
        querystring: StateChangeQuery,
        response: { 200: StateChangeList, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      return {
        items: await stateChanges(ctx.db.kysely, actorOf(request), {
          siteId: q.siteId,
          clientId: q.clientId,
          rootsOnly: q.rootsOnly === 'true',
          before: q.before,
          limit: q.limit,
        }),
      };
    },
  );
}
