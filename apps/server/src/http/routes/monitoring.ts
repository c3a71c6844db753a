import { ErrorBody, SiteStatus, StateChangeList, StateChangeQuery, StatusQuery } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { stateChanges } from '../../domain/monitoring/history-queries.js';
import { siteStatus } from '../../domain/monitoring/status.js';
import { isoNow } from '../../lib/clock.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['monitoring'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export async function monitoringRoutes(app: ZodApp, ctx: AppContext) {
  app.get('/api/status', { schema: { tags, summary: 'The Now screen: every client and site with its checks by state, problems first; systems, checks, last results and sparklines', querystring: StatusQuery, response: { 200: SiteStatus, ...errors } } }, async (request) =>
    siteStatus(ctx.db.kysely, actorOf(request), isoNow(ctx.clock), { clientId: request.query.clientId, problemsOnly: request.query.problemsOnly === 'true', q: request.query.q }),
  );

  app.get('/api/state-changes', { schema: { tags, summary: 'Changes of state of checks and sites, newest first; `rootsOnly` leaves out the ones that follow from another', querystring: StateChangeQuery, response: { 200: StateChangeList, ...errors } } }, async (request) => {
    const q = request.query;
    return { items: await stateChanges(ctx.db.kysely, actorOf(request), { siteId: q.siteId, clientId: q.clientId, rootsOnly: q.rootsOnly === 'true', before: q.before, limit: q.limit }) };
  });
}
