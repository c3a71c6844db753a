import {
  CreateSystemRequest,
  ErrorBody,
  IdParams,
  Ok,
  System,
  SystemList,
  SystemListQuery,
  UpdateSystemRequest,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { createSystem, deleteSystem, updateSystem } from '../../domain/register/system-commands.js';
import { getSystem, listSystems } from '../../domain/register/system-queries.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['systems'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export async function systemRoutes(app: ZodApp, ctx: AppContext) {
  const db = () => ctx.db.kysely;

  app.get(
    '/api/systems',
    {
      schema: {
        tags,
        summary: 'List systems by name, filtered by site, client, kind, criticality, or a search on name and host',
        querystring: SystemListQuery,
        response: { 200: SystemList, ...errors },
      },
    },
    async (request) => listSystems(db(), actorOf(request), request.query),
  );

  app.post(
    '/api/systems',
    {
      schema: {
        tags,
        summary:
          'Add a system at a site, with the systems it depends on (409 dependency_cycle if they would make a loop)',
        body: CreateSystemRequest,
        response: { 201: System, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createSystem(ctx, actorOf(request), request.body)),
  );

  app.get(
    '/api/systems/:id',
    {
      schema: {
        tags,
        summary: 'One system, with what it depends on and what depends on it',
        params: IdParams,
        response: { 200: System, ...errors },
      },
    },
    async (request) => getSystem(db(), actorOf(request), request.params.id),
  );

  app.patch(
    '/api/systems/:id',
    {
      schema: {
        tags,
        summary: 'Change a system; `dependsOn` replaces its dependencies; `archived` archives or restores it',
        params: IdParams,
        body: UpdateSystemRequest,
        response: { 200: System, ...errors },
      },
    },
    async (request) => updateSystem(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/systems/:id',
    {
      schema: {
        tags,
        summary: 'Delete a system and its dependency links',
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await deleteSystem(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
}
