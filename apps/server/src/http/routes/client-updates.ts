import {
  ClientUpdate,
  ClientUpdateList,
  ClientUpdateQuery,
  CreateMessageTemplateRequest,
  ErrorBody,
  IdParams,
  MessageTemplate,
  MessageTemplateList,
  MessageTemplateQuery,
  Ok,
  SendClientUpdateRequest,
  UpdateDraft,
  UpdateDraftRequest,
  UpdateMessageTemplateRequest,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { draftFor, sendIncidentUpdate } from '../../domain/updates/incident-updates.js';
import { placeholderHelp } from '../../domain/updates/placeholders.js';
import { listClientUpdates } from '../../domain/updates/queries.js';
import { sendClientUpdate } from '../../domain/updates/send.js';
import { createTemplate, deleteTemplate, listTemplates, updateTemplate } from '../../domain/updates/templates.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['client updates'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export async function clientUpdateRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/message-templates',
    {
      schema: {
        tags,
        summary: "The firm's message templates for client updates and checklist reports (staff)",
        querystring: MessageTemplateQuery,
        response: { 200: MessageTemplateList, ...errors },
      },
    },
    async (request) => ({
      items: await listTemplates(ctx.db.kysely, actorOf(request), request.query.kind),
      placeholders: placeholderHelp(),
    }),
  );

  app.post(
    '/api/message-templates',
    {
      schema: {
        tags,
        summary: 'Add a message template (owner or admin); placeholders such as {client} are checked',
        body: CreateMessageTemplateRequest,
        response: { 201: MessageTemplate, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createTemplate(ctx, actorOf(request), request.body)),
  );

  app.patch(
    '/api/message-templates/:id',
    {
      schema: {
        tags,
        summary: 'Change a message template (owner or admin)',
        params: IdParams,
        body: UpdateMessageTemplateRequest,
        response: { 200: MessageTemplate, ...errors },
      },
    },
    async (request) => updateTemplate(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/message-templates/:id',
    {
      schema: {
        tags,
        summary: 'Delete a message template (owner or admin)',
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request) => {
      await deleteTemplate(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/client-updates/draft',
    {
      schema: {
        tags,
        summary: 'A template filled in for a client (and incident), and who it would go to; edit it, then send it',
        body: UpdateDraftRequest,
        response: { 200: UpdateDraft, ...errors },
      },
    },
    async (request) => draftFor(ctx, actorOf(request), request.body),
  );

  app.get(
    '/api/client-updates',
    {
      schema: {
        tags,
        summary:
          "Updates sent to a client, an incident's or a checklist run's, newest first, with each recipient's delivery state",
        querystring: ClientUpdateQuery,
        response: { 200: ClientUpdateList, ...errors },
      },
    },
    async (request) => ({ items: await listClientUpdates(ctx.db.kysely, actorOf(request), request.query) }),
  );

  app.post(
    '/api/clients/:id/updates',
    {
      schema: {
        tags,
        summary:
          "Send an update to the client's contacts who receive updates (or the ones named), by e-mail or SMS as each prefers",
        params: IdParams,
        body: SendClientUpdateRequest,
        response: { 201: ClientUpdate, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await sendClientUpdate(ctx, actorOf(request), { clientId: request.params.id, ...request.body })),
  );

  app.post(
    '/api/incidents/:id/updates',
    {
      schema: {
        tags,
        summary:
          "Send an update from an incident to its client's contacts (e-mail or SMS as each prefers); it goes on the incident's timeline",
        params: IdParams,
        body: SendClientUpdateRequest,
        response: { 201: ClientUpdate, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await sendIncidentUpdate(ctx, actorOf(request), request.params.id, request.body)),
  );
}
