import {
  CreateSiteRequest,
  ErrorBody,
  IdParams,
  Ok,
  Site,
  SiteList,
  SiteListQuery,
  UpdateSiteRequest,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { createSite, deleteSite, updateSite } from '../../domain/register/site-commands.js';
import { getSite, listSites } from '../../domain/register/site-queries.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['sites'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export async function siteRoutes(app: ZodApp, ctx: AppContext) {
  const db = () => ctx.db.kysely;

  app.get(
    '/api/sites',
    {
      schema: {
        tags,
        summary: 'List sites by name, optionally of one client, with search, archive filter and keyset paging',
        querystring: SiteListQuery,
        response: { 200: SiteList, ...errors },
      },
    },
    async (request) => listSites(db(), actorOf(request), request.query),
  );

  app.post(
    '/api/sites',
    {
      schema: {
        tags,
        summary: 'Add a site (an office) to a client',
        body: CreateSiteRequest,
        response: { 201: Site, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createSite(ctx, actorOf(request), request.body)),
  );

  app.get(
    '/api/sites/:id',
    {
      schema: {
        tags,
        summary: 'One site, with the count of its live systems',
        params: IdParams,
        response: { 200: Site, ...errors },
      },
    },
    async (request) => getSite(db(), actorOf(request), request.params.id),
  );

  app.patch(
    '/api/sites/:id',
    {
      schema: {
        tags,
        summary: 'Change a site; `archived: true` archives it, `false` restores it',
        params: IdParams,
        body: UpdateSiteRequest,
        response: { 200: Site, ...errors },
      },
    },
    async (request) => updateSite(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/sites/:id',
    { schema: { tags, summary: 'Delete a site with its systems', params: IdParams, response: { 200: Ok, ...errors } } },
    async (request) => {
      await deleteSite(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
}
