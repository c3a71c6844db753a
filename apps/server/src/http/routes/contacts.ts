import {
  Contact,
  ContactList,
  CreateContactRequest,
  ErrorBody,
  IdParams,
  Ok,
  UpdateContactRequest,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { createContact, deleteContact, updateContact } from '../../domain/register/contact-commands.js';
import { getContact, listContacts } from '../../domain/register/contact-queries.js';
import { actorOf } from '../authenticate.js';
import type { ZodApp } from '../zod-app.js';

const tags = ['contacts'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export async function contactRoutes(app: ZodApp, ctx: AppContext) {
  app.get(
    '/api/clients/:id/contacts',
    {
      schema: {
        tags,
        summary: "A client's contacts, by name",
        params: IdParams,
        response: { 200: ContactList, ...errors },
      },
    },
    async (request) => listContacts(ctx.db.kysely, actorOf(request), request.params.id),
  );

  app.post(
    '/api/clients/:id/contacts',
    {
      schema: {
        tags,
        summary: 'Add a contact to a client',
        params: IdParams,
        body: CreateContactRequest,
        response: { 201: Contact, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createContact(ctx, actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/api/contacts/:id',
    { schema: { tags, summary: 'One contact', params: IdParams, response: { 200: Contact, ...errors } } },
    async (request) => getContact(ctx.db.kysely, actorOf(request), request.params.id),
  );

  app.patch(
    '/api/contacts/:id',
    {
      schema: {
        tags,
        summary: 'Change a contact',
        params: IdParams,
        body: UpdateContactRequest,
        response: { 200: Contact, ...errors },
      },
    },
    async (request) => updateContact(ctx, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/api/contacts/:id',
    { schema: { tags, summary: 'Delete a contact', params: IdParams, response: { 200: Ok, ...errors } } },
    async (request) => {
      await deleteContact(ctx, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
}
