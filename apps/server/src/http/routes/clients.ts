import {
  Client,
  ClientList,
  ClientListQuery,
  CreateClientRequest,
  ErrorBody,
  IdParams,
  Ok,
  UpdateClientRequest,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { createClient, deleteClient, updateClient } from '../../domain/register/client-commands.js';
import { getClient, listClients } from '../../domain/register/client-queries.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['clients'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export async function clientRoutes(app: ZodApp, ctx: AppContext) {
  const db = () => ctx.db.kysely;

  app.get(
    '/api/clients',
    {
      schema: {
        tags,
        summary: 'List clients by name, with search, archive filter and keyset paging',
        querystring: ClientListQuery,
        response: { 200: ClientList, ...errors },
      },
    },
    async (request) => listClients(db(), actorOf(request), request.query),
  );

  app.post(
    '/api/clients',
    { schema: { tags, summary: 'Add a client', body: CreateClientRequest, response: { 201: Client, ...errors } } },
    async (request, reply) => reply.status(201).send(await createClient(ctx, actorOf(request), request.body)),
  );

  app.get(
    '/api/clients/:id',
    {
      schema: {
        tags,
        summary: 'One client, with counts of its live sites and systems',
        params: IdParams,
        response: { 200: Client, ...errors },
      },
    },
    async (request) => getClient(db(), actorOf(request), request.params.id),
  );

  app.patch(
    '/api/clients/:id',
    {
      schema: {
        tags,
        summary: 'Change a client; `archived: true` archives it, `false` restores it',
        params: IdParams,
        body: UpdateClientRequest,
        response: { 200: Client, ...errors },
      },
    },
    async (request) => updateClient(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/clients/:id',
    {
      schema: {
        tags,
        summary: 'Delete a client and everything under it (contacts, sites, systems, client accounts)',
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await deleteClient(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
}
